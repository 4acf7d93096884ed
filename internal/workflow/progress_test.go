package workflow_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// Anyone with the number and the applicant's name — or the last six of
// their ID number — sees the case's progress; a wrong name answers like an
// unknown number; staff show as department and post, never by name; and
// lookups per address are limited.
func TestProgressLookup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		zhao := &tongban.User{Kind: tongban.UserCitizen, Name: "赵六", IDNumber: "511602199003071232", PasswordHash: "x", CreatedAt: w.clock.Now()}
		w.must(w.st.CreateUser(ctx, zhao))

		c := w.step(at(2026, 2, 10, 9, 30), "counter submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: zhao.ID, Channel: tongban.ChannelCounter,
				Materials: append(provided("m1", "m3", "m5", "m6"), eLicence("m2", zhao))})
		})
		c = w.step(at(2026, 2, 10, 9, 40), "accept with 容缺", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{Owed: []string{"m4"}})
		})
		c = w.step(at(2026, 2, 11, 9, 0), "审查", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "材料符合要求")
		})
		c = w.step(at(2026, 2, 11, 10, 0), "现场核查", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "现场核查合格")
		})
		c = w.step(at(2026, 2, 12, 10, 0), "correction in review", func() (*tongban.Case, error) {
			return wf.RequestCorrection(ctx, as(w.decider), c.ID, []tongban.Deficiency{{Key: "m6", Reason: "平面图未标注操作间"}})
		})

		p, err := wf.Progress(ctx, "198.51.100.7", c.Number, "赵六")
		if err != nil {
			t.Fatal(err)
		}
		if p.State != tongban.CaseAwaitingCorrection || p.OrgName != "广安区市场监督管理局" || p.Time.Due == "" || !p.Time.Paused ||
			len(p.Corrections) != 1 || p.CorrectionDue != "2026-03-04" || len(p.Owed) != 1 || p.Owed[0] != "食品安全管理制度文本" ||
			p.OwedDue == "" || p.Visits != 1 || p.Collection.Method != tongban.DeliveryPickup || p.Collection.Place != "广安区政务服务中心 四号窗口" {
			t.Errorf("progress: %+v", p)
		}
		var by []string
		for _, s := range p.Timeline {
			by = append(by, s.Action+"@"+s.By)
		}
		text := strings.Join(by, "\n")
		for _, want := range []string{"提交申请@广安区政务服务中心 综合受理一号窗口 · 综合窗口受理", "受理@广安区政务服务中心 综合受理一号窗口 · 综合窗口受理",
			"环节办理@广安区市场监督管理局 · 后台审批", "环节办理@广安区市场监督管理局 · 承办人", "一次性告知补正@广安区市场监督管理局 · 分管负责人"} {
			if !strings.Contains(text, want) {
				t.Errorf("timeline lacks %q:\n%s", want, text)
			}
		}
		for _, name := range []string{"刘敏", "陈静", "周伟", "gaq-"} {
			if strings.Contains(text, name) {
				t.Errorf("timeline names staff (%s):\n%s", name, text)
			}
		}

		// The last six of the ID number do too; a wrong name or an unknown
		// number answer exactly alike.
		if _, err := wf.Progress(ctx, "198.51.100.7", c.Number, "071232"); err != nil {
			t.Errorf("last six of the ID number: %v", err)
		}
		_, wrong := wf.Progress(ctx, "198.51.100.7", c.Number, "赵七")
		_, unknown := wf.Progress(ctx, "198.51.100.7", "511602000000-20260210-000099", "赵六")
		_, short := wf.Progress(ctx, "198.51.100.7", c.Number, "赵")
		if !tongban.IsCode(wrong, tongban.ENotFound) || fmt.Sprint(wrong) != fmt.Sprint(unknown) || fmt.Sprint(short) != fmt.Sprint(unknown) {
			t.Errorf("mismatch %v, unknown %v, short %v: must be the same not-found", wrong, unknown, short)
		}

		// Five lookups so far from this address; the limit holds, per address.
		for i := 5; i < workflow.ProgressLookups; i++ {
			if _, err := wf.Progress(ctx, "198.51.100.7", c.Number, "赵六"); err != nil {
				t.Fatalf("lookup %d: %v", i+1, err)
			}
		}
		if _, err := wf.Progress(ctx, "198.51.100.7", c.Number, "赵六"); !tongban.IsCode(err, tongban.ETooManyTries) {
			t.Errorf("lookup past the limit: %v", err)
		}
		if _, err := wf.Progress(ctx, "203.0.113.9", c.Number, "赵六"); err != nil {
			t.Errorf("another address: %v", err)
		}
		w.clock.Set(w.clock.Now().Add(workflow.ProgressWindow + 1))
		if _, err := wf.Progress(ctx, "198.51.100.7", c.Number, "赵六"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}
