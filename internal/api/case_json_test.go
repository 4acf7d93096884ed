package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

// The hand-written case encoder (case_json.go) against its reference,
// encoding/json as writeJSON uses it.

// caseViewJSONReference is writeJSON's encoding of v.
func caseViewJSONReference(v *caseView) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(*v)
	return b.Bytes(), err
}

// sameAsEncodingJSON fails t unless appendCaseView writes what
// encoding/json writes for v, or leaves to it exactly what it must: a
// view encoding/json refuses, a bundle parent, a nil case or event.
func sameAsEncodingJSON(t testing.TB, v *caseView) {
	t.Helper()
	want, err := caseViewJSONReference(v)
	prefix := []byte("kept")
	got, ok := appendCaseView(prefix[:len(prefix):len(prefix)], v)
	if !bytes.HasPrefix(got, prefix) {
		t.Fatalf("appendCaseView lost what dst held: %q", got)
	}
	got = got[len(prefix):]
	switch {
	case err != nil && ok:
		t.Fatalf("encoding/json refuses the view (%v) but appendCaseView wrote\n%s", err, got)
	case err != nil:
		return
	case !ok && !leftToEncodingJSON(v):
		t.Fatalf("appendCaseView left to encoding/json a view it should encode:\n%s", want)
	case !ok:
		return
	case len(got) != 0 && !bytes.Equal(got, want):
		t.Fatalf("appendCaseView differs from encoding/json at byte %d\n got: %s\nwant: %s",
			firstDiff(got, want), got, want)
	}
}

func leftToEncodingJSON(v *caseView) bool {
	if v.Case == nil || v.Bundle != nil {
		return true
	}
	for _, e := range v.Events {
		if e.CaseEvent == nil {
			return true
		}
	}
	return false
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

var (
	cst     = time.FixedZone("CST", 8*3600)
	t0      = time.Date(2026, 3, 2, 9, 30, 0, 0, cst)
	oddZone = time.FixedZone("LMT", 8*3600+5*60+43) // seconds in the offset
)

// demoCaseView is a case as the food-licence demo leaves it after a
// correction and its acceptance: five events, a form of about 800 bytes,
// materials with references.
func demoCaseView() *caseView {
	form := `{"经营者名称":"张三小吃店","统一社会信用代码":"92511602MA6AB1C2DE","法定代表人":"张三",` +
		`"经营场所":"四川省广安市广安区建设路 18 号 1 楼","联系电话":"138****0000","主体业态":"餐饮服务经营者",` +
		`"经营项目":["热食类食品制售","冷食类食品制售","自制饮品制售"],"面积":{"经营":86.5,"仓储":12},` +
		`"从业人员":[{"姓名":"张三","健康证":"川A2026-000017","岗位":"负责人"},{"姓名":"李四","健康证":"川A2026-000018","岗位":"厨师"}],` +
		`"网络经营":false,"备注":"营业时间 \"7:00-21:00\"，节假日照常\\n","邮寄":null,"设备":{"冷藏":2,"消毒":1,"排烟":true},` +
		`"食品安全管理员":{"姓名":"王五","证书编号":"SCGL-2026-0042"},"布局流程":"粗加工区→切配区→烹饪区→备餐区，生熟分开"}`
	c := &tongban.Case{ID: 17, Number: "511602000000-20260302-000017", ListingID: 3, ListingVersion: 2,
		ItemName: "食品经营许可（新办）", ListingName: "食品经营许可证核发（新办）", OrgID: 4, RegionCode: "511602",
		ApplicantID: 9, ApplicantName: "张三", Channel: tongban.ChannelOnline, State: tongban.CaseInReview, Step: 1,
		Form: json.RawMessage(form),
		Materials: []tongban.CaseMaterial{
			{Key: "m1", Name: "食品经营许可申请书", BlobHash: "sha256:" + strings.Repeat("ab", 32), Status: tongban.MaterialProvided, Confirmed: true},
			{Key: "m2", Name: "营业执照", Status: tongban.MaterialELicense,
				Ref: &tongban.MaterialRef{Kind: tongban.RefLicense, ID: "5116020000000017", Version: 2}},
			{Key: "m3", Name: "法定代表人身份证明", Status: tongban.MaterialReused,
				Ref: &tongban.MaterialRef{Kind: tongban.RefLibrary, ID: "42", Note: "来自材料库，于 511602000000-20260101-000003 号办件中确认", File: "sha256:" + strings.Repeat("cd", 32)}},
			{Key: "m4", Name: "健康证明", Status: tongban.MaterialOwed},
			{Key: "m5", Name: "食品安全管理制度", Status: tongban.MaterialCommitment},
		},
		OwedDue: "2026-03-20", Commitment: true, NeedsPostCheck: true, PromisedDays: 10,
		AcceptedAt: t0.Add(26 * time.Hour), DueDate: "2026-03-17", PausedDays: 2, Visits: 1,
		Delivery:  tongban.Delivery{Method: tongban.DeliveryExpress},
		CreatedAt: t0, UpdatedAt: t0.Add(49*time.Hour + 123456789*time.Nanosecond), Version: 5}
	evs := []*tongban.CaseEvent{
		{ID: 101, CaseID: 17, Seq: 1, At: t0, ActorID: 9, ActorName: "张三", Role: tongban.ActorApplicant,
			Action: tongban.ActionSubmit, To: tongban.CaseSubmitted},
		{ID: 102, CaseID: 17, Seq: 2, At: t0.Add(2 * time.Hour), ActorID: 3, ActorName: "王窗口", Role: "clerk", OrgID: 2,
			Action: tongban.ActionRequestCorrection, From: tongban.CaseSubmitted, To: tongban.CaseAwaitingCorrection,
			Reason: "请补正：申请书未签字", Materials: []string{"m1"}},
		{ID: 103, CaseID: 17, Seq: 3, At: t0.Add(25 * time.Hour), ActorID: 9, ActorName: "张三", Role: tongban.ActorApplicant,
			Action: tongban.ActionSupplement, From: tongban.CaseAwaitingCorrection, To: tongban.CaseSubmitted,
			Materials: []string{"m1"}, Visit: true},
		{ID: 104, CaseID: 17, Seq: 4, At: t0.Add(26 * time.Hour), ActorID: 3, ActorName: "王窗口", Role: "clerk", OrgID: 2,
			Action: tongban.ActionAccept, From: tongban.CaseSubmitted, To: tongban.CaseAccepted},
		{ID: 105, CaseID: 17, Seq: 5, At: t0.Add(49*time.Hour + 123456789*time.Nanosecond), ActorID: 5, ActorName: "赵审查",
			Role: "reviewer", OrgID: 4, Action: tongban.ActionReview, From: tongban.CaseAccepted, To: tongban.CaseInReview, Step: 1},
	}
	return &caseView{Case: c, StateLabel: c.State.Label(), ChannelLabel: c.Channel.Label(), StepName: "审核",
		Time:    timeView{Started: true, Running: true, Due: "2026-03-17", DaysLeft: 6, Level: "ok", LevelLabel: "正常"},
		Actions: []string{"review", "approve", "deny"}, Notices: []string{"acceptance", "correction"}, Events: eventsOf(evs)}
}

// submittedCaseView is a case just submitted: zero times, empty and nil
// slices, one event.
func submittedCaseView() *caseView {
	c := &tongban.Case{ID: 1, Number: "511602000000-20260302-000001", ListingID: 1, ListingVersion: 1, ItemName: "个体工商户登记",
		ListingName: "个体工商户设立登记", OrgID: 1, RegionCode: "511602", ApplicantID: 2, ApplicantName: "李四",
		Channel: tongban.ChannelCounter, State: tongban.CaseSubmitted, Form: json.RawMessage(`{}`),
		Materials: []tongban.CaseMaterial{}, PromisedDays: 3, CreatedAt: t0.UTC(), UpdatedAt: t0.UTC(), Version: 1}
	evs := []*tongban.CaseEvent{{ID: 1, CaseID: 1, Seq: 1, At: t0.UTC(), ActorName: "系统", Role: tongban.ActorSystem,
		Action: tongban.ActionSubmit, To: tongban.CaseSubmitted, Materials: []string{}}}
	return &caseView{Case: c, StateLabel: c.State.Label(), ChannelLabel: c.Channel.Label(),
		Time: timeView{Level: "ok", LevelLabel: "正常"}, Actions: []string{}, Notices: nil, Events: eventsOf(evs)}
}

func TestCaseViewJSONSameAsEncodingJSON(t *testing.T) {
	nasty := "引号\" 反斜杠\\ 控制\x00\x01\x1f\x7f \b\f\n\r\t <>& \u2028\u2029 坏\xff\xc3( 末尾\xe4\xb8"
	cases := map[string]func(v *caseView){
		"demo":                 func(*caseView) {},
		"nil form":             func(v *caseView) { v.Form = nil },
		"empty form (refused)": func(v *caseView) { v.Form = json.RawMessage{} },
		"spaced form": func(v *caseView) {
			v.Form = json.RawMessage(" {\"a\" : [1, 2,\t{\"b\":\n\"c d\"}] }\r\n")
		},
		"form not json": func(v *caseView) { v.Form = json.RawMessage(`{"a":}`) },
		"form array":    func(v *caseView) { v.Form = json.RawMessage(`[1,"x",null,true,false,-0.5e+10]`) },
		"form deeper than compactJSON follows": func(v *caseView) {
			v.Form = json.RawMessage(`{"a":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}`)
		},
		"form with html": func(v *caseView) { v.Form = json.RawMessage("{\"x\":\"<&>\u2028\xff\"}") },
		"nasty strings": func(v *caseView) {
			v.Number, v.ApplicantName, v.StateLabel, v.StepName = nasty, nasty, nasty, nasty
			v.Materials[1].Ref.Note, v.Reasons = nasty, []string{nasty, "", "理由"}
			v.Corrections = []tongban.Deficiency{{Key: "m1", Name: nasty, Reason: "缺\"签字\""}, {}}
			v.Events[1].Reason, v.Events[0].ActorName, v.Actions = nasty, nasty, []string{nasty}
			v.Time.Due, v.Time.LevelLabel = nasty, nasty
			v.Delivery = tongban.Delivery{TrackingNo: nasty, WindowID: 7}
		},
		"every flag": func(v *caseView) {
			v.Outcome, v.BoardID, v.PostChecked, v.PostCheckFailed, v.Instant, v.Provisional = tongban.CaseApproved, 3, true, true, true, true
			v.PausedSince, v.DecidedAt, v.ResultNo = t0.Add(time.Nanosecond), t0.Add(time.Millisecond), "食经字〔2026〕17号"
			v.Time = timeView{true, false, true, "", -3, "red", "红牌", true, true}
			v.Delivery = tongban.Delivery{Method: tongban.DeliveryPickup, TrackingNo: "SF123", WindowID: 2}
		},
		"negative and big numbers": func(v *caseView) {
			v.ID, v.Step, v.Version, v.Events[0].ID, v.Time.DaysLeft = -1<<63, -5, 1<<62, 1<<63-1, -2147483648
		},
		"nil slices": func(v *caseView) { v.Materials, v.Actions, v.Notices, v.Events = nil, nil, nil, nil },
		"empty slices": func(v *caseView) {
			v.Materials, v.Reasons, v.Corrections, v.Events = []tongban.CaseMaterial{}, []string{}, []tongban.Deficiency{}, []eventView{}
		},
		"times": func(v *caseView) {
			v.CreatedAt, v.UpdatedAt = time.Time{}, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
		},
		"time zone with seconds": func(v *caseView) { v.UpdatedAt = t0.In(oddZone) },
		"time local":             func(v *caseView) { v.AcceptedAt = t0.Local() },
		"year 10000 (refused)":   func(v *caseView) { v.Events[2].At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"year -1 (refused)":      func(v *caseView) { v.DecidedAt = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC) },
		"nil event":              func(v *caseView) { v.Events[3].CaseEvent = nil },
		"nil case":               func(v *caseView) { v.Case = nil },
		"bundle":                 func(v *caseView) { v.Bundle = &bundleCaseView{ID: 1} },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			v := demoCaseView()
			change(v)
			sameAsEncodingJSON(t, v)
		})
	}
	t.Run("submitted", func(t *testing.T) { sameAsEncodingJSON(t, submittedCaseView()) })
}

// TestCaseViewJSONRandom compares thousands of random views.
func TestCaseViewJSONRandom(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("random views from seed %d", seed)
		}
	})
	r := rand.New(rand.NewPCG(1, seed))
	n := 5000
	if testing.Short() {
		n = 500
	}
	for range n {
		sameAsEncodingJSON(t, randomCaseView(r))
	}
}

// randomPieces are what random strings are made of: the characters
// encoding/json treats apart, and the rest.
var randomPieces = []string{"a", "Z", "0", " ", "\"", "\\", "/", "<", ">", "&", "\x00", "\x1f", "\x7f", "\b", "\f", "\n",
	"\r", "\t", "\u2028", "\u2029", "\u2027", "\u202a", "中", "办件", "\xff", "\xe2\x80", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
	"\xc0\xaf", "\ufffd", "é"}

func randomString(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return ""
	}
	var b strings.Builder
	for range r.IntN(8) + 1 {
		b.WriteString(randomPieces[r.IntN(len(randomPieces))])
	}
	return b.String()
}

func randomStrings(r *rand.Rand) []string {
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	s := make([]string, r.IntN(4)+1)
	for i := range s {
		s[i] = randomString(r)
	}
	return s
}

func randomInt(r *rand.Rand) int64 {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return r.Int64N(100)
	case 2:
		return -r.Int64N(1 << 40)
	}
	return int64(r.Uint64())
}

func randomTime(r *rand.Rand) time.Time {
	switch r.IntN(6) {
	case 0:
		return time.Time{}
	case 1:
		return time.Unix(r.Int64N(1<<36)-1<<35, 0).UTC()
	case 2:
		return time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(cst)
	case 3:
		return time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(oddZone)
	case 4:
		return time.Unix(r.Int64N(4e9), int64(r.IntN(1000))*1e6).In(time.FixedZone("", -int(r.Int64N(14*3600))))
	}
	return t0.Add(time.Duration(r.Int64N(1e15)))
}

var randomForms = []string{`{}`, `{"a":1}`, ` {"a" : "b"} `, `[]`, `null`, `"s"`, `{"x":[1,2.5e-3,{"y":null}],"z":"中\u2028\\n"}`,
	`{"a":}`, `{"a":1,}`, `{"a":01}`, `{"a":"\x"}`, `{"a":"\u12g4"}`, `{"a":"\u12"}`, `{"a":-}`, `{"a":1.}`, `{"a":1e}`,
	`{"a":1E+7,"b":-0.0e-0}`, `{"a":tru}`, `{"a":[}`, `{"a":[1]]`, `{"a":{]}`, `[{"a":1},[]]`, `{"a"1}`, `{1:2}`, `"\/\b\f\n\r\t\"\\"`, `{"a":"\x01"}`, `{"k":"\ud800"}`, "{\"\xff\":\"<>&\"}", `{"a":[true,false,null]}`, `{`, ``, `1 2`}

func randomCaseView(r *rand.Rand) *caseView {
	s, i, t := func() string { return randomString(r) }, func() int64 { return randomInt(r) }, func() time.Time { return randomTime(r) }
	bit := func() bool { return r.IntN(2) == 0 }
	c := &tongban.Case{ID: i(), Number: s(), ListingID: i(), ListingVersion: int(i()), ItemName: s(), ListingName: s(),
		OrgID: i(), RegionCode: s(), BoardID: i(), ApplicantID: i(), ApplicantName: s(), Channel: tongban.Channel(s()),
		State: tongban.CaseState(s()), Outcome: tongban.CaseState(s()), Step: int(i()), OwedDue: s(), Commitment: bit(),
		NeedsPostCheck: bit(), PostChecked: bit(), PostCheckFailed: bit(), Instant: bit(), PromisedDays: int(i()),
		AcceptedAt: t(), DueDate: s(), Provisional: bit(), PausedDays: int(i()), PausedSince: t(), DecidedAt: t(),
		Visits: int(i()), Delivery: tongban.Delivery{Method: tongban.DeliveryMethod(s()), TrackingNo: s(), WindowID: i()},
		Reasons: randomStrings(r), ResultNo: s(), IdempotencyKey: s(), CreatedAt: t(), UpdatedAt: t(), Version: int(i())}
	if f := r.IntN(len(randomForms) + 1); f < len(randomForms) {
		c.Form = json.RawMessage(randomForms[f])
	}
	if bit() {
		c.Materials = []tongban.CaseMaterial{}
		for range r.IntN(4) {
			m := tongban.CaseMaterial{Key: s(), Name: s(), BlobHash: s(), Status: tongban.MaterialStatus(s()), Confirmed: bit(),
				Claim: s(), Consent: bit(), UseReason: s()}
			if bit() {
				m.Ref = &tongban.MaterialRef{Kind: tongban.MaterialRefKind(s()), ID: s(), Version: int(i()), Note: s(), File: s()}
			}
			c.Materials = append(c.Materials, m)
		}
	}
	if bit() {
		c.Corrections = []tongban.Deficiency{}
		for range r.IntN(3) {
			c.Corrections = append(c.Corrections, tongban.Deficiency{Key: s(), Name: s(), Reason: s()})
		}
	}
	var evs []*tongban.CaseEvent
	if bit() {
		evs = []*tongban.CaseEvent{}
		for range r.IntN(6) {
			evs = append(evs, &tongban.CaseEvent{ID: i(), CaseID: i(), Seq: int(i()), At: t(), ActorID: i(), ActorName: s(),
				Role: tongban.Role(s()), OrgID: i(), Action: tongban.CaseAction(s()), From: tongban.CaseState(s()),
				To: tongban.CaseState(s()), Step: int(i()), Reason: s(), Materials: randomStrings(r), Visit: bit(),
				Facts: &tongban.EventFacts{RegionCode: s()}})
		}
	}
	v := &caseView{Case: c, StateLabel: s(), ChannelLabel: s(), StepName: s(),
		Time: timeView{bit(), bit(), bit(), s(), int(i()), s(), s(), bit(), bit()}, Actions: randomStrings(r), Notices: randomStrings(r)}
	if evs != nil {
		v.Events = eventsOf(evs)
		for k := range v.Events {
			v.Events[k].ActionLabel, v.Events[k].ToLabel = s(), s()
		}
	}
	return v
}

// TestCaseViewJSONKnowsEveryField fails when a type the hand encoder
// writes gains, loses or retags a field: the encoder would silently
// leave it out (or write it wrong) while encoding/json would not.
func TestCaseViewJSONKnowsEveryField(t *testing.T) {
	want := map[reflect.Type]string{
		reflect.TypeFor[caseView](): `Case *tongban.Case ""; StateLabel string "state_label"; ChannelLabel string "channel_label"; ` +
			`StepName string "step_name,omitempty"; Time api.timeView "time"; Actions []string "actions"; Notices []string "notices"; ` +
			`Events []api.eventView "events"; Bundle *api.bundleCaseView "bundle,omitempty"`,
		reflect.TypeFor[tongban.Case](): `ID int64 "id"; Number string "number"; ListingID int64 "listing_id"; ` +
			`ListingVersion int "listing_version"; ItemName string "item_name"; ListingName string "listing_name"; ` +
			`OrgID int64 "org_id"; RegionCode string "region_code"; BoardID int64 "board_id,omitempty"; ` +
			`ApplicantID int64 "applicant_id"; ApplicantName string "applicant_name"; Channel tongban.Channel "channel"; ` +
			`State tongban.CaseState "state"; Outcome tongban.CaseState "outcome,omitempty"; Step int "step"; ` +
			`Form json.RawMessage "form"; Materials []tongban.CaseMaterial "materials"; ` +
			`Corrections []tongban.Deficiency "corrections,omitempty"; OwedDue string "owed_due,omitempty"; ` +
			`Commitment bool "commitment,omitempty"; NeedsPostCheck bool "needs_post_check,omitempty"; ` +
			`PostChecked bool "post_checked,omitempty"; PostCheckFailed bool "post_check_failed,omitempty"; ` +
			`Instant bool "instant,omitempty"; PromisedDays int "promised_days"; AcceptedAt time.Time "accepted_at,omitzero"; ` +
			`DueDate string "due_date,omitempty"; Provisional bool "provisional,omitempty"; PausedDays int "paused_days,omitempty"; ` +
			`PausedSince time.Time "paused_since,omitzero"; DecidedAt time.Time "decided_at,omitzero"; Visits int "visits"; ` +
			`Delivery tongban.Delivery "delivery"; Reasons []string "reasons,omitempty"; ResultNo string "result_no,omitempty"; ` +
			`IdempotencyKey string "-"; CreatedAt time.Time "created_at"; UpdatedAt time.Time "updated_at"; Version int "version"; ` +
			`Events []*tongban.CaseEvent "-"`,
		reflect.TypeFor[tongban.CaseMaterial](): `Key string "key"; Name string "name"; BlobHash string "blob_hash,omitempty"; ` +
			`Status tongban.MaterialStatus "status"; Ref *tongban.MaterialRef "ref,omitempty"; Confirmed bool "confirmed,omitempty"; ` +
			`Claim string "-"; Consent bool "-"; UseReason string "-"`,
		reflect.TypeFor[tongban.MaterialRef](): `Kind tongban.MaterialRefKind "kind"; ID string "id"; Version int "version,omitempty"; ` +
			`Note string "note,omitempty"; File string "file,omitempty"`,
		reflect.TypeFor[tongban.Deficiency](): `Key string "key"; Name string "name"; Reason string "reason"`,
		reflect.TypeFor[tongban.Delivery](): `Method tongban.DeliveryMethod "method,omitempty"; TrackingNo string "tracking_no,omitempty"; ` +
			`WindowID int64 "window_id,omitempty"`,
		reflect.TypeFor[timeView](): `Started bool "started"; Running bool "running"; Paused bool "paused"; Due string "due,omitempty"; ` +
			`DaysLeft int "days_left"; Level string "level"; LevelLabel string "level_label"; Provisional bool "provisional"; ` +
			`OnTime bool "on_time"`,
		reflect.TypeFor[eventView](): `CaseEvent *tongban.CaseEvent ""; ActionLabel string "action_label"; ToLabel string "to_label"`,
		reflect.TypeFor[tongban.CaseEvent](): `ID int64 "id"; CaseID int64 "case_id"; Seq int "seq"; At time.Time "at"; ` +
			`ActorID int64 "actor_id,omitempty"; ActorName string "actor_name"; Role tongban.Role "role"; ` +
			`OrgID int64 "org_id,omitempty"; Action tongban.CaseAction "action"; From tongban.CaseState "from,omitempty"; ` +
			`To tongban.CaseState "to"; Step int "step"; Reason string "reason,omitempty"; Materials []string "materials,omitempty"; ` +
			`Visit bool "visit,omitempty"; Facts *tongban.EventFacts "-"`,
	}
	checkFieldsWritten(t, want, "appendCaseView (internal/api/case_json.go)", "randomCaseView")
	// The string kinds are written as strings: none may gain a MarshalJSON
	// or MarshalText that encoding/json would call instead.
	for _, typ := range []reflect.Type{reflect.TypeFor[tongban.Channel](), reflect.TypeFor[tongban.CaseState](),
		reflect.TypeFor[tongban.MaterialStatus](), reflect.TypeFor[tongban.MaterialRefKind](), reflect.TypeFor[tongban.DeliveryMethod](),
		reflect.TypeFor[tongban.Role](), reflect.TypeFor[tongban.CaseAction](), reflect.TypeFor[tongban.Case](),
		reflect.TypeFor[tongban.CaseEvent](), reflect.TypeFor[tongban.CaseMaterial](), reflect.TypeFor[tongban.MaterialRef](),
		reflect.TypeFor[tongban.Deficiency](), reflect.TypeFor[tongban.Delivery](), reflect.TypeFor[caseView](),
		reflect.TypeFor[eventView](), reflect.TypeFor[timeView]()} {
		for _, tt := range []reflect.Type{typ, reflect.PointerTo(typ)} {
			if tt.Implements(reflect.TypeFor[json.Marshaler]()) || tt.Implements(reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()) {
				t.Errorf("%s now has its own MarshalJSON or MarshalText: update appendCaseView (internal/api/case_json.go) to call it", tt)
			}
		}
	}
}

// TestWriteCaseViewSameAnswer: the pooled writer answers as writeJSON
// does, status, headers and body, for views it encodes and views it
// leaves to encoding/json, and a reused buffer leaves earlier answers be.
func TestWriteCaseViewSameAnswer(t *testing.T) {
	refused := demoCaseView()
	refused.Form = json.RawMessage(`{`)
	bundle := demoCaseView()
	bundle.Bundle = &bundleCaseView{ID: 1, HeldBy: []string{}}
	var answers []*httptest.ResponseRecorder
	for _, v := range []*caseView{demoCaseView(), submittedCaseView(), bundle, refused, demoCaseView()} {
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		wantErr, gotErr := writeJSON(want, http.StatusCreated, *v), writeCaseView(got, http.StatusCreated, v)
		if (wantErr == nil) != (gotErr == nil) || got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) ||
			!bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
			t.Fatalf("writeCaseView answered %d %v %v\n%s\nwriteJSON %d %v %v\n%s", got.Code, got.Header(), gotErr, got.Body,
				want.Code, want.Header(), wantErr, want.Body)
		}
		answers = append(answers, got)
	}
	if !bytes.Equal(answers[0].Body.Bytes(), answers[4].Body.Bytes()) {
		t.Fatal("the same view answered twice differs: a pooled buffer was shared")
	}
}

// checkFieldsWritten fails t for each type of want whose fields (name, type,
// JSON tag) are no longer its list: a field added to a type encoded by
// hand must be written by encoder as encoding/json writes it and covered
// by random before the list is updated.
func checkFieldsWritten(t *testing.T, want map[reflect.Type]string, encoder, random string) {
	t.Helper()
	for typ, fields := range want {
		var got []string
		for f := range typ.Fields() {
			got = append(got, fmt.Sprintf("%s %s %q", f.Name, f.Type, f.Tag.Get("json")))
		}
		if s := strings.Join(got, "; "); s != fields {
			t.Errorf("%s changed: update %s to write it as encoding/json does, cover it in %s, then this list.\n got: %s\nwant: %s",
				typ, encoder, random, s, fields)
		}
	}
}

// encodeAsWriteJSON is writeJSON's encoding of v, for the benchmarks.
func encodeAsWriteJSON(b *testing.B, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		b.Fatal(err)
	}
}
