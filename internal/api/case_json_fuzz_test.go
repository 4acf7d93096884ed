package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

// FuzzCaseViewJSONSameAsEncodingJSON drives the form, the strings, the
// times and the numbers of a realistic view from the fuzzer's input and
// compares appendCaseView with encoding/json byte for byte.
func FuzzCaseViewJSONSameAsEncodingJSON(f *testing.F) {
	type seed struct {
		form, text, label string
		sec, nsec         int64
		offset            int32
		n                 int64
		flags             uint8
	}
	for _, s := range []seed{
		{`{"经营者名称":"张三小吃店","项目":["热食",{"a":1.50}]}`, "张三", "审查中", 1772415000, 0, 8 * 3600, 17, 0},
		{` {"a" : [1, 2] } `, "引号\" 反斜杠\\ \x00\x1f\x7f\b\f\n\r\t", "<>&", 0, 1, 0, -1, 1},
		{`{"x":"<&>\u2028","y":null,"z":[true,false,-0,1e999]}`, "\u2028\u2029\u2027", "\xff\xfe", -62135596800, 999999999, -12*3600 - 30, 1 << 62, 2},
		{`{"a":}`, "坏\xc3(\xe4\xb8", "", 253402300800, 0, 0, 0, 4},
		{`[]`, "", "", -62167219200 - 1, 0, 0, -1 << 63, 8},
		{`{"k":"\ud800\u00e9\/"}`, "é\xed\xa0\x80\xf0\x9f\x98\x80", "a", 1e9, 5e8, 3600 + 17, 7, 16},
		{``, "x", "y", 1, 1, 1, 1, 255},
		{`{"a":1,}`, "", "", 0, 0, 0, 0, 32},
	} {
		f.Add([]byte(s.form), s.text, s.label, s.sec, s.nsec, s.offset, s.n, s.flags)
	}
	f.Fuzz(func(t *testing.T, form []byte, text, label string, sec, nsec int64, offset int32, n int64, flags uint8) {
		v := demoCaseView()
		at := time.Unix(sec, nsec).In(time.FixedZone(label, int(offset)))
		if flags&1 != 0 {
			form = nil
		}
		v.Form = form
		v.Number, v.ApplicantName, v.StepName, v.Time.Due, v.ResultNo = text, text, text, text, text
		v.StateLabel, v.ChannelLabel, v.Time.Level = label, label, label
		v.Materials[0].Name, v.Materials[2].Ref.Note = text, label
		v.Actions = []string{label, text}
		v.Reasons = []string{text}
		v.Corrections = []tongban.Deficiency{{Key: label, Name: text, Reason: text + label}}
		v.Delivery.TrackingNo = label
		v.ID, v.Version, v.Time.DaysLeft, v.PausedDays, v.BoardID = n, int(n), int(n), int(n), n
		v.UpdatedAt = at
		if flags&2 != 0 {
			v.AcceptedAt = time.Time{}
		} else {
			v.AcceptedAt = at
		}
		if flags&4 != 0 {
			v.DecidedAt, v.PausedSince = at, at.Add(time.Duration(n))
		}
		if flags&8 != 0 {
			v.Materials, v.Events, v.Notices = nil, nil, nil
		}
		if flags&16 != 0 {
			v.Materials, v.Events, v.Reasons = []tongban.CaseMaterial{}, []eventView{}, []string{}
		}
		for i := range v.Events {
			e := *v.Events[i].CaseEvent
			e.At = at.Add(time.Duration(i) * time.Duration(n))
			e.ActorName, e.Reason, e.Role = text, label, tongban.Role(label)
			e.ActorID, e.OrgID, e.Seq = n, -n, int(n)
			e.Materials = []string{text}
			v.Events[i] = eventView{CaseEvent: &e, ActionLabel: label, ToLabel: text}
		}
		if flags&32 != 0 {
			v.Form = json.RawMessage(text)
		}
		sameAsEncodingJSON(t, v)
	})
}
