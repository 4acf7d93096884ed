package bundle_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

var newbornForm = map[string]any{"baby_name": "张小宝", "sex": "男", "birth_date": "2026-02-20",
	"birth_place": "广安市妇幼保健院", "mother_name": "李梅", "mother_id": "511602199205081228",
	"father_name": "张三", "father_id": "511602199003071232", "declarant_id": "511602199003071232",
	"address": "广安市广安区北辰路1号", "phone": "13800138000"}

// 新生儿出生, online: bad input writes nothing; then the 出生医学证明 runs
// first, its number flows into 户口登记, which starts by itself once the
// certificate is issued; 医保 and 社保卡 then run in parallel in their two
// departments; a 补正 on one of them reaches the applicant as one notice
// for the whole bundle and one supplement satisfies it; results are handed
// over together, one trip. A second application whose certificate is
// denied stops everything waiting on it, with the reason.
func TestNewbornBundleEndToEnd(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ctx := context.Background()
		zhang := w.user(t, "511602199003071232")
		b := w.bundle(t, "YJS-XSECS")
		answers := map[string]string{"hukou": "here", "card": "yes"}
		mats := materialsOf(t, w, b, answers)
		app := bundle.Application{BundleID: b.ID, Answers: answers, Channel: tongban.ChannelOnline,
			Form: formOf(t, newbornForm), Materials: mats, IdempotencyKey: "newborn-1"}

		cases0, parents0 := w.count(t)
		// A name longer than 户口登记 allows (15 characters), though the
		// certificate would take it: the error names the component and field.
		long := map[string]any{}
		for k, v := range newbornForm {
			long[k] = v
		}
		long["baby_name"] = strings.Repeat("张", 16)
		bad := app
		bad.Form, bad.IdempotencyKey = formOf(t, long), ""
		_, _, err := w.svc.Apply(ctx, w.req(zhang), bad)
		if e := tongban.AsError(err); e.Field != "form.baby_name" || !strings.Contains(e.Message, "「出生登记（新生儿入户）」：新生儿姓名不能超过15个字") {
			t.Errorf("a long name: %v", err)
		}
		bad = app
		bad.Materials, bad.IdempotencyKey = mats[1:], ""
		if _, _, err := w.svc.Apply(ctx, w.req(zhang), bad); !strings.Contains(tongban.AsError(err).Message, "缺少材料") {
			t.Errorf("a missing material: %v", err)
		}
		bad = app
		bad.Answers, bad.IdempotencyKey = map[string]string{"hukou": "here"}, ""
		if _, _, err := w.svc.Apply(ctx, w.req(zhang), bad); tongban.AsError(err).Field != "answers.card" {
			t.Errorf("an unanswered question: %v", err)
		}
		if c, p := w.count(t); c != cases0 || p != parents0 {
			t.Fatalf("refused applications wrote %d cases and %d parents", c-cases0, p-parents0)
		}

		bc, replayed, err := w.svc.Apply(ctx, w.req(zhang), app)
		if err != nil || replayed {
			t.Fatalf("apply: %v (replayed %v)", err, replayed)
		}
		again, replayed, err := w.svc.Apply(ctx, w.req(zhang), app)
		if err != nil || !replayed || again.ID != bc.ID {
			t.Errorf("a retry: %v, replayed %v", err, replayed)
		}
		if c, p := w.count(t); c != cases0+1 || p != parents0+1 {
			t.Fatalf("one application made %d cases and %d parents; want 1 and 1 (the rest wait)", c-cases0, p-parents0)
		}
		v := w.view(t, bc.Number)
		if len(v.Views) != 4 || v.State != bundle.ParentSubmitted {
			t.Fatalf("parent %s with %d sub-cases", v.State, len(v.Views))
		}
		cert := w.sub(t, v, "birth_cert")
		if cert.Status != tongban.SubStarted || cert.Case.State != tongban.CaseSubmitted || cert.OrgName != "广安市卫生健康委员会" {
			t.Fatalf("birth_cert = %+v", cert.SubCase)
		}
		if !strings.Contains(string(cert.Case.Form), `"母亲身份证号":"511602199205081228"`) {
			t.Errorf("the certificate's form %s", cert.Case.Form)
		}
		for _, k := range []string{"hukou", "medical", "sscard"} {
			if s := w.sub(t, v, k); s.Status != tongban.SubWaiting || s.Number == "" || s.Case != nil {
				t.Errorf("%s = %+v", k, s.SubCase)
			}
		}

		w.accept(t, cert.CaseID)
		if v := w.view(t, bc.Number); v.State != bundle.ParentAccepted || v.AcceptedAt.IsZero() {
			t.Errorf("after acceptance the parent is %s (accepted %v)", v.State, v.AcceptedAt)
		}
		w.decide(t, cert.CaseID, true, "Q510012345")
		v = w.view(t, bc.Number)
		hukou := w.sub(t, v, "hukou")
		if hukou.Status != tongban.SubStarted || hukou.Case == nil || hukou.Case.OrgID == cert.Case.OrgID {
			t.Fatalf("户口登记 did not start after the certificate: %+v", hukou.SubCase)
		}
		if !strings.Contains(string(hukou.Case.Form), `"出生医学证明编号":"Q510012345"`) || hukou.Case.Number != hukou.Number {
			t.Errorf("户口登记 form %s, number %s (reserved %s)", hukou.Case.Form, hukou.Case.Number, hukou.Number)
		}
		if m, ok := hukou.Case.Material("m1"); !ok || m.Status != tongban.MaterialProvided {
			t.Errorf("户口登记's 出生医学证明 from the result: %+v", hukou.Case.Materials)
		}
		if w.sub(t, v, "medical").Status != tongban.SubWaiting {
			t.Error("医保 started before 户口登记")
		}

		w.accept(t, hukou.CaseID)
		w.decide(t, hukou.CaseID, true, "HK2026000123")
		v = w.view(t, bc.Number)
		medical, card := w.sub(t, v, "medical"), w.sub(t, v, "sscard")
		if medical.Case == nil || card.Case == nil || medical.Case.OrgID == card.Case.OrgID {
			t.Fatalf("医保 and 社保卡 not started in parallel in two departments: %+v %+v", medical.SubCase, card.SubCase)
		}

		// 补正 on the 医保 sub-case: one notice for the bundle.
		if _, err := w.wf.RequestCorrection(ctx, w.req(w.clerk), medical.CaseID,
			[]tongban.Deficiency{{Key: "m2", Reason: "户口簿首页不清晰"}}); err != nil {
			t.Fatal(err)
		}
		w.accept(t, card.CaseID)
		v = w.view(t, bc.Number)
		if v.State != bundle.ParentCorrection || !v.Paused || len(v.Notice) != 1 || v.Notice[0].Name != "居民户口簿或居住证" ||
			len(v.HeldBy) != 1 || v.HeldBy[0] != "广安市医疗保障局" {
			t.Fatalf("parent %s, notice %+v, held by %v", v.State, v.Notice, v.HeldBy)
		}
		if _, err := w.svc.Supplement(ctx, w.req(zhang), bc.ID, nil); !strings.Contains(tongban.AsError(err).Message, "还缺「居民户口簿或居住证」") {
			t.Errorf("an empty supplement: %v", err)
		}
		v, err = w.svc.Supplement(ctx, w.req(zhang), bc.ID, []tongban.CaseMaterial{
			{Key: v.Notice[0].Key, BlobHash: "sm3:" + strings.Repeat("ab", 32), Status: tongban.MaterialProvided}})
		if err != nil {
			t.Fatal(err)
		}
		if v.State == bundle.ParentCorrection || w.sub(t, v, "medical").Case.State != tongban.CaseSubmitted {
			t.Fatalf("after the supplement the parent is %s, 医保 %s", v.State, w.sub(t, v, "medical").Case.State)
		}
		w.accept(t, medical.CaseID)
		w.clock.Advance(24 * time.Hour) // Tuesday: the last results a working day after the first acceptance
		w.decide(t, medical.CaseID, true, "YB2026000456")
		w.decide(t, card.CaseID, true, "SSK2026000789")

		// Handed over together: one trip for four results.
		trips0 := visits(t, w, v)
		hall := w.user(t, "clerk")
		v, err = w.svc.Handover(ctx, w.req(hall), bc.ID, workflow.DeliverInput{IdentityChecked: true, Collector: tongban.CollectorSelf})
		if err != nil {
			t.Fatal(err)
		}
		if v.State != bundle.ParentClosed {
			t.Errorf("after the handover the parent is %s", v.State)
		}
		if got := visits(t, w, v) - trips0; got != 1 {
			t.Errorf("the handover counted %d trips; want 1", got)
		}

		// A denied certificate stops everything waiting on it.
		app2 := app
		app2.IdempotencyKey, app2.Answers = "newborn-2", map[string]string{"hukou": "here", "card": "no"}
		app2.Materials = materialsOf(t, w, b, app2.Answers)
		bc2, _, err := w.svc.Apply(ctx, w.req(zhang), app2)
		if err != nil {
			t.Fatal(err)
		}
		if len(bc2.Subs) != 3 {
			t.Errorf("without a 社保卡 %d sub-cases; want 3", len(bc2.Subs))
		}
		cert2 := bc2.Subs[0]
		w.accept(t, cert2.CaseID)
		w.decide(t, cert2.CaseID, false, "")
		v = w.view(t, bc2.Number)
		for _, k := range []string{"hukou", "medical"} {
			s := w.sub(t, v, k)
			if s.Status != tongban.SubStopped || !strings.Contains(s.Reason, "前置事项「出生医学证明首次签发」不予办理：助产机构无该新生儿的分娩记录") {
				t.Errorf("%s after the denial: %+v", k, s.SubCase)
			}
		}
		if v.State != bundle.ParentIssued || len(v.HeldBy) != 1 {
			t.Errorf("parent after the denial %s held by %v (the decision waits to be handed over)", v.State, v.HeldBy)
		}

		// Measures, from the events: two applications, one trip (the
		// handover), the materials merged against the components' own.
		if _, err := w.svc.Measure(ctx, zhang, staticCal{}, b.ID); tongban.ErrorCodeOf(err) != tongban.EForbidden {
			t.Errorf("an applicant read the measures: %v", err)
		}
		m, err := w.svc.Measure(ctx, w.user(t, "supervisor"), staticCal{}, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		ls, _ := w.svc.Listings(ctx, b)
		cl1, _ := bundle.Tailor(b, ls, app.Answers)
		cl2, _ := bundle.Tailor(b, ls, app2.Answers)
		if m.Cases != 2 || m.Finished != 2 || m.Trips != 1 || m.ActualDays != 1 ||
			m.PromisedDays != cl1.PromisedDays+cl2.PromisedDays ||
			m.MaterialsAsked != len(cl1.Materials)+len(cl2.Materials) || m.MaterialsSeparately != cl1.Separately+cl2.Separately ||
			m.MaterialsSeparately <= m.MaterialsAsked || len(m.Open) != 0 {
			t.Errorf("measures %+v", m)
		}
	})
}

type staticCal struct{}

func (staticCal) Schedule(context.Context) (*calendar.Schedule, error) {
	return calendar.Default(), nil
}

// visits sums the in-person visits of the bundle's sub-cases.
func visits(t *testing.T, w *walk, v *bundle.View) int {
	t.Helper()
	n := 0
	for _, sv := range v.Views {
		if sv.CaseID != 0 {
			n += w.get(t, sv.CaseID).Visits
		}
	}
	return n
}
