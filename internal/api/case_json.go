package api

import (
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/jsontext"
)

// A case's view is the answer applicants poll, so it is encoded by hand:
// encoding/json's reflection, its re-compacting of the form and its
// allocations per time were a tenth of the endpoint's CPU. The output is
// byte for byte what writeJSON writes (json.Encoder, SetEscapeHTML(false),
// trailing newline); case_json_test.go holds it to that against
// encoding/json and fails when a field is added to a type written here.

// appendCaseView appends v as writeJSON encodes it, or reports false for
// what it leaves to encoding/json: a bundle parent (rare), a nil case or
// event, a time MarshalJSON refuses or a form that is not valid JSON (both
// errors there, which the fallback reports as before).
func appendCaseView(dst []byte, v *caseView) ([]byte, bool) {
	c := v.Case
	if c == nil || v.Bundle != nil {
		return dst, false
	}
	ok := true
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, c.ID, 10)
	dst = appendKeyString(dst, `,"number":`, c.Number)
	dst = append(dst, `,"listing_id":`...)
	dst = strconv.AppendInt(dst, c.ListingID, 10)
	dst = append(dst, `,"listing_version":`...)
	dst = strconv.AppendInt(dst, int64(c.ListingVersion), 10)
	dst = appendKeyString(dst, `,"item_name":`, c.ItemName)
	dst = appendKeyString(dst, `,"listing_name":`, c.ListingName)
	dst = append(dst, `,"org_id":`...)
	dst = strconv.AppendInt(dst, c.OrgID, 10)
	dst = appendKeyString(dst, `,"region_code":`, c.RegionCode)
	if c.BoardID != 0 {
		dst = append(dst, `,"board_id":`...)
		dst = strconv.AppendInt(dst, c.BoardID, 10)
	}
	dst = append(dst, `,"applicant_id":`...)
	dst = strconv.AppendInt(dst, c.ApplicantID, 10)
	dst = appendKeyString(dst, `,"applicant_name":`, c.ApplicantName)
	dst = appendKeyString(dst, `,"channel":`, string(c.Channel))
	dst = appendKeyString(dst, `,"state":`, string(c.State))
	if c.Outcome != "" {
		dst = appendKeyString(dst, `,"outcome":`, string(c.Outcome))
	}
	dst = append(dst, `,"step":`...)
	dst = strconv.AppendInt(dst, int64(c.Step), 10)
	dst = append(dst, `,"form":`...)
	if dst, ok = appendRawJSON(dst, c.Form); !ok {
		return dst, false
	}
	dst = append(dst, `,"materials":`...)
	dst = appendMaterials(dst, c.Materials)
	if len(c.Corrections) > 0 {
		dst = append(dst, `,"corrections":[`...)
		for i, d := range c.Corrections {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendKeyString(dst, `{"key":`, d.Key)
			dst = appendKeyString(dst, `,"name":`, d.Name)
			dst = appendKeyString(dst, `,"reason":`, d.Reason)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if c.OwedDue != "" {
		dst = appendKeyString(dst, `,"owed_due":`, c.OwedDue)
	}
	dst = appendFlag(dst, `,"commitment":true`, c.Commitment)
	dst = appendFlag(dst, `,"needs_post_check":true`, c.NeedsPostCheck)
	dst = appendFlag(dst, `,"post_checked":true`, c.PostChecked)
	dst = appendFlag(dst, `,"post_check_failed":true`, c.PostCheckFailed)
	dst = appendFlag(dst, `,"instant":true`, c.Instant)
	dst = append(dst, `,"promised_days":`...)
	dst = strconv.AppendInt(dst, int64(c.PromisedDays), 10)
	if !c.AcceptedAt.IsZero() {
		if dst, ok = appendKeyTime(dst, `,"accepted_at":`, c.AcceptedAt); !ok {
			return dst, false
		}
	}
	if c.DueDate != "" {
		dst = appendKeyString(dst, `,"due_date":`, c.DueDate)
	}
	dst = appendFlag(dst, `,"provisional":true`, c.Provisional)
	if c.PausedDays != 0 {
		dst = append(dst, `,"paused_days":`...)
		dst = strconv.AppendInt(dst, int64(c.PausedDays), 10)
	}
	if !c.PausedSince.IsZero() {
		if dst, ok = appendKeyTime(dst, `,"paused_since":`, c.PausedSince); !ok {
			return dst, false
		}
	}
	if !c.DecidedAt.IsZero() {
		if dst, ok = appendKeyTime(dst, `,"decided_at":`, c.DecidedAt); !ok {
			return dst, false
		}
	}
	dst = append(dst, `,"visits":`...)
	dst = strconv.AppendInt(dst, int64(c.Visits), 10)
	dst = appendDelivery(dst, c.Delivery)
	if len(c.Reasons) > 0 {
		dst = append(dst, `,"reasons":`...)
		dst = appendStrings(dst, c.Reasons)
	}
	if c.ResultNo != "" {
		dst = appendKeyString(dst, `,"result_no":`, c.ResultNo)
	}
	if dst, ok = appendKeyTime(dst, `,"created_at":`, c.CreatedAt); !ok {
		return dst, false
	}
	if dst, ok = appendKeyTime(dst, `,"updated_at":`, c.UpdatedAt); !ok {
		return dst, false
	}
	dst = append(dst, `,"version":`...)
	dst = strconv.AppendInt(dst, int64(c.Version), 10)

	// caseView's own fields, after the embedded case's.
	dst = appendKeyString(dst, `,"state_label":`, v.StateLabel)
	dst = appendKeyString(dst, `,"channel_label":`, v.ChannelLabel)
	if v.StepName != "" {
		dst = appendKeyString(dst, `,"step_name":`, v.StepName)
	}
	dst = appendTimeView(dst, &v.Time)
	dst = append(dst, `,"actions":`...)
	dst = appendStrings(dst, v.Actions)
	dst = append(dst, `,"notices":`...)
	dst = appendStrings(dst, v.Notices)
	dst = append(dst, `,"events":`...)
	if v.Events == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range v.Events {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, ok = appendEventView(dst, &v.Events[i]); !ok {
				return dst, false
			}
		}
		dst = append(dst, ']')
	}
	return append(dst, "}\n"...), true
}

func appendEventView(dst []byte, v *eventView) ([]byte, bool) {
	e := v.CaseEvent
	if e == nil {
		return dst, false
	}
	ok := true
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, e.ID, 10)
	dst = append(dst, `,"case_id":`...)
	dst = strconv.AppendInt(dst, e.CaseID, 10)
	dst = append(dst, `,"seq":`...)
	dst = strconv.AppendInt(dst, int64(e.Seq), 10)
	if dst, ok = appendKeyTime(dst, `,"at":`, e.At); !ok {
		return dst, false
	}
	if e.ActorID != 0 {
		dst = append(dst, `,"actor_id":`...)
		dst = strconv.AppendInt(dst, e.ActorID, 10)
	}
	dst = appendKeyString(dst, `,"actor_name":`, e.ActorName)
	dst = appendKeyString(dst, `,"role":`, string(e.Role))
	if e.OrgID != 0 {
		dst = append(dst, `,"org_id":`...)
		dst = strconv.AppendInt(dst, e.OrgID, 10)
	}
	dst = appendKeyString(dst, `,"action":`, string(e.Action))
	if e.From != "" {
		dst = appendKeyString(dst, `,"from":`, string(e.From))
	}
	dst = appendKeyString(dst, `,"to":`, string(e.To))
	dst = append(dst, `,"step":`...)
	dst = strconv.AppendInt(dst, int64(e.Step), 10)
	if e.Reason != "" {
		dst = appendKeyString(dst, `,"reason":`, e.Reason)
	}
	if len(e.Materials) > 0 {
		dst = append(dst, `,"materials":`...)
		dst = appendStrings(dst, e.Materials)
	}
	dst = appendFlag(dst, `,"visit":true`, e.Visit)
	dst = appendKeyString(dst, `,"action_label":`, v.ActionLabel)
	dst = appendKeyString(dst, `,"to_label":`, v.ToLabel)
	return append(dst, '}'), true
}

func appendMaterials(dst []byte, ms []tongban.CaseMaterial) []byte {
	if ms == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range ms {
		m := &ms[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendKeyString(dst, `{"key":`, m.Key)
		dst = appendKeyString(dst, `,"name":`, m.Name)
		if m.BlobHash != "" {
			dst = appendKeyString(dst, `,"blob_hash":`, m.BlobHash)
		}
		dst = appendKeyString(dst, `,"status":`, string(m.Status))
		if r := m.Ref; r != nil {
			dst = appendKeyString(dst, `,"ref":{"kind":`, string(r.Kind))
			dst = appendKeyString(dst, `,"id":`, r.ID)
			if r.Version != 0 {
				dst = append(dst, `,"version":`...)
				dst = strconv.AppendInt(dst, int64(r.Version), 10)
			}
			if r.Note != "" {
				dst = appendKeyString(dst, `,"note":`, r.Note)
			}
			if r.File != "" {
				dst = appendKeyString(dst, `,"file":`, r.File)
			}
			dst = append(dst, '}')
		}
		dst = appendFlag(dst, `,"confirmed":true`, m.Confirmed)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

func appendDelivery(dst []byte, d tongban.Delivery) []byte {
	dst = append(dst, `,"delivery":{`...)
	sep := ""
	if d.Method != "" {
		dst = appendKeyString(dst, `"method":`, string(d.Method))
		sep = ","
	}
	if d.TrackingNo != "" {
		dst = appendKeyString(append(dst, sep...), `"tracking_no":`, d.TrackingNo)
		sep = ","
	}
	if d.WindowID != 0 {
		dst = append(append(dst, sep...), `"window_id":`...)
		dst = strconv.AppendInt(dst, d.WindowID, 10)
	}
	return append(dst, '}')
}

func appendTimeView(dst []byte, t *timeView) []byte {
	dst = append(dst, `,"time":{"started":`...)
	dst = strconv.AppendBool(dst, t.Started)
	dst = append(dst, `,"running":`...)
	dst = strconv.AppendBool(dst, t.Running)
	dst = append(dst, `,"paused":`...)
	dst = strconv.AppendBool(dst, t.Paused)
	if t.Due != "" {
		dst = appendKeyString(dst, `,"due":`, t.Due)
	}
	dst = append(dst, `,"days_left":`...)
	dst = strconv.AppendInt(dst, int64(t.DaysLeft), 10)
	dst = appendKeyString(dst, `,"level":`, t.Level)
	dst = appendKeyString(dst, `,"level_label":`, t.LevelLabel)
	dst = append(dst, `,"provisional":`...)
	dst = strconv.AppendBool(dst, t.Provisional)
	dst = append(dst, `,"on_time":`...)
	dst = strconv.AppendBool(dst, t.OnTime)
	return append(dst, '}')
}

// appendStrings writes a []string, nil as null.
func appendStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsontext.AppendString(dst, s, false)
	}
	return append(dst, ']')
}

func appendFlag(dst []byte, field string, set bool) []byte {
	if set {
		dst = append(dst, field...)
	}
	return dst
}

func appendKeyString(dst []byte, key, s string) []byte {
	return jsontext.AppendString(append(dst, key...), s, false)
}

// appendKeyTime writes t as time.Time.MarshalJSON does (RFC 3339 with
// nanoseconds, strict: AppendText refuses what MarshalJSON refuses).
func appendKeyTime(dst []byte, key string, t time.Time) ([]byte, bool) {
	b, err := t.AppendText(append(append(dst, key...), '"'))
	if err != nil {
		return dst, false // AppendText returned nil
	}
	return append(b, '"'), true
}
