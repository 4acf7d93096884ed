package bundle_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// 退休: once the retirement is decided, 医保 and 公积金 run in parallel in
// two departments. Both ask the 居民身份证 the applicant handed over once;
// when both ask for it again, the applicant gets ONE notice line for it
// (with both reasons), and one supplement satisfies both sub-cases.
func TestRetirementCorrectionAskedTwiceNoticedOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ctx := context.Background()
		zhang := w.user(t, "511602199003071232")
		b := w.bundle(t, "YJS-TX")
		answers := map[string]string{"fund": "yes"}
		bc, _, err := w.svc.Apply(ctx, w.req(zhang), bundle.Application{BundleID: b.ID, Answers: answers,
			Channel: tongban.ChannelOnline, Materials: materialsOf(t, w, b, answers),
			Form: formOf(t, map[string]any{"name": "张三", "id": "511602199003071232", "employer": "广安市蜀味餐饮管理有限公司",
				"phone": "13800138000", "bank_account": "6217000000000000000"})})
		if err != nil {
			t.Fatal(err)
		}
		retire := bc.Subs[0]
		w.accept(t, retire.CaseID)
		w.decide(t, retire.CaseID, true, "广人社退〔2026〕18号")
		v := w.view(t, bc.Number)
		medical, fund := w.sub(t, v, "medical"), w.sub(t, v, "fund")
		if medical.Case == nil || fund.Case == nil {
			t.Fatalf("医保 %+v, 公积金 %+v", medical.SubCase, fund.SubCase)
		}
		if !strings.Contains(string(medical.Case.Form), `"退休核准文号":"广人社退〔2026〕18号"`) {
			t.Errorf("医保's form %s", medical.Case.Form)
		}
		for _, sv := range []bundle.SubView{medical, fund} {
			if _, err := w.wf.RequestCorrection(ctx, w.req(w.clerk), sv.CaseID,
				[]tongban.Deficiency{{Key: "m1", Reason: sv.Name + "：身份证已过有效期"}}); err != nil {
				t.Fatal(err)
			}
		}
		v = w.view(t, bc.Number)
		if len(v.Notice) != 1 || v.Notice[0].Key != "BZ0101" || len(v.Notice[0].Reasons) != 2 || len(v.Notice[0].Components) != 2 ||
			len(v.HeldBy) != 2 {
			t.Fatalf("notice %+v, held by %v", v.Notice, v.HeldBy)
		}
		v, err = w.svc.Supplement(ctx, w.req(zhang), bc.ID, []tongban.CaseMaterial{
			{Key: "BZ0101", BlobHash: "sm3:" + strings.Repeat("cd", 32)}})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"medical", "fund"} {
			c := w.sub(t, v, k).Case
			if m, _ := c.Material("m1"); c.State != tongban.CaseSubmitted || m.BlobHash != "sm3:"+strings.Repeat("cd", 32) {
				t.Errorf("%s after the one supplement: %s %+v", k, c.State, m)
			}
		}
		for _, m := range v.Materials {
			if m.Key == "BZ0101" && m.BlobHash != "sm3:"+strings.Repeat("cd", 32) {
				t.Errorf("the parent keeps the old copy: %+v", m)
			}
		}
	})
}

// Answers that select no component are refused by name.
func TestAnswersSelectingNothing(t *testing.T) {
	t.Parallel()
	b := &tongban.Bundle{Situations: []tongban.BundleSituation{{Key: "s", Question: "是否办理？",
		Answers: []tongban.BundleAnswer{{Key: "yes", Label: "是"}, {Key: "no", Label: "否"}}}},
		Components: []tongban.BundleComponent{
			{Key: "a", When: []tongban.AnswerRef{{Situation: "s", Answer: "yes"}}},
			{Key: "b", When: []tongban.AnswerRef{{Situation: "s", Answer: "yes"}}}}}
	_, err := bundle.Tailor(b, bundle.Listings{}, map[string]string{"s": "no"})
	if e := tongban.AsError(err); e.Field != "answers" || !strings.Contains(e.Message, "没有需要办理的事项") {
		t.Errorf("answers selecting nothing: %v", err)
	}
	if _, err := bundle.Tailor(b, bundle.Listings{}, map[string]string{"s": "maybe"}); tongban.AsError(err).Field != "answers.s" {
		t.Errorf("an unknown answer: %v", err)
	}
}
