package workflow

import (
	"strconv"

	"github.com/tongban/tongban/internal/jsontext"
)

// AppendJSON appends a's JSON, byte for byte what encoding/json makes of
// it (TestAnnouncementJSONAsEncodingJSON), without reflection: see
// outbox.JSONAppender. encoding/json escapes HTML in it, so this does too.
func (a *CaseAnnouncement) AppendJSON(b []byte) ([]byte, error) {
	str := func(name, v string) {
		b = append(b, name...)
		b = jsontext.AppendString(b, v, true)
	}
	num := func(name string, v int64) {
		b = append(b, name...)
		b = strconv.AppendInt(b, v, 10)
	}
	str(`{"number":`, a.Number)
	num(`,"seq":`, int64(a.Seq))
	if a.EventID != 0 {
		num(`,"event_id":`, a.EventID)
	}
	if a.Visit {
		b = append(b, `,"visit":true`...)
	}
	str(`,"action":`, string(a.Action))
	if a.From != "" {
		str(`,"from":`, string(a.From))
	}
	str(`,"to":`, string(a.To))
	num(`,"step":`, int64(a.Step))
	num(`,"listing_id":`, a.ListingID)
	str(`,"item_name":`, a.ItemName)
	num(`,"org_id":`, a.OrgID)
	if a.ActorOrg != 0 {
		num(`,"actor_org_id":`, a.ActorOrg)
	}
	str(`,"actor_role":`, string(a.ActorRole))
	str(`,"channel":`, string(a.Channel))
	if a.Reason != "" {
		str(`,"reason":`, a.Reason)
	}
	if len(a.Materials) > 0 {
		b = append(b, `,"materials":[`...)
		for i, m := range a.Materials {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsontext.AppendString(b, m, true)
		}
		b = append(b, ']')
	}
	if a.DueDate != "" {
		str(`,"due_date":`, a.DueDate)
	}
	num(`,"user_id":`, a.UserID)
	b = append(b, `,"at":"`...)
	b, err := a.At.AppendText(b) // as time.Time's MarshalJSON, refusing what it refuses
	if err != nil {
		return nil, err
	}
	return append(b, `"}`...), nil
}
