package workflow_test

import (
	"slices"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// An online application over the 2025 National Day holiday (10-01..10-08
// off, 09-28 and 10-11 worked): accepted by the department, corrected during
// review across the holiday, paused again for an expert review, approved,
// mailed, and post-checked for its commitment.
func TestOnlineCaseLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		materials := append(provided("m1", "m3", "m4", "m6"),
			eLicence("m2", w.zhang),
			tongban.CaseMaterial{Key: "m5", Status: tongban.MaterialCommitment})

		c := w.step(at(2025, 9, 25, 10, 0), "submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Form: form("经营场所", "广安区北辰路12号", "主体业态", "小餐饮"),
				Materials: materials, Delivery: tongban.DeliveryExpress, IdempotencyKey: "zhang-food-1"})
		})
		if c.Number != "511602000000-20250925-000001" || c.State != tongban.CaseSubmitted || c.ItemName != "食品经营许可" ||
			c.ApplicantName != "张三丰" || !c.Commitment || !c.NeedsPostCheck || c.DueDate != "" || c.Visits != 0 {
			t.Fatalf("submitted: %+v", c)
		}
		if m, _ := c.Material("m5"); m.Name != "从业人员健康证明" || m.Status != tongban.MaterialCommitment {
			t.Errorf("commitment material: %+v", m)
		}

		// Accepted by the department's own approver: online cases go straight
		// to its queue, no board. Ten working days skip the whole holiday.
		c = w.step(at(2025, 9, 26, 9, 0), "accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.reviewer), c.ID, workflow.AcceptInput{})
		})
		if c.State != tongban.CaseAccepted || c.Step != 1 || c.BoardID != 0 || c.DueDate != "2025-10-16" || c.PausedDays != 0 {
			t.Fatalf("accepted: state %s step %d board %d due %s", c.State, c.Step, c.BoardID, c.DueDate)
		}
		if ts := w.timeStatus(c); !ts.Running || ts.DaysLeft != 10 || ts.Level != calendar.OK || ts.Paused {
			t.Errorf("time status after acceptance: %+v", ts)
		}

		c = w.step(at(2025, 9, 29, 15, 0), "review 审查", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "材料齐全，符合法定形式，转现场核查")
		})
		if c.State != tongban.CaseInReview || c.Step != 2 {
			t.Fatalf("after 审查: %s step %d", c.State, c.Step)
		}

		// The site visit finds the floor plan wrong: correction during review
		// stops the clock over the holiday.
		c = w.step(at(2025, 9, 30, 10, 0), "request correction", func() (*tongban.Case, error) {
			return wf.RequestCorrection(ctx, as(w.reviewer), c.ID, []tongban.Deficiency{
				{Key: "m6", Reason: "平面图与现场布局不符，操作间未标注"}})
		})
		if c.State != tongban.CaseAwaitingCorrection || c.PausedSince.IsZero() || len(c.Corrections) != 1 ||
			c.Corrections[0].Name != "经营场所和设备布局、操作流程平面图" {
			t.Fatalf("awaiting correction: %+v", c)
		}
		w.clock.Set(at(2025, 10, 9, 16, 0))
		if ts := w.timeStatus(c); !ts.Paused || ts.DaysLeft != 7 || ts.Due != "2025-10-16" {
			t.Errorf("paused clock: %+v, want frozen at 7 days left", ts)
		}
		w.refuse("approver supplements", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Supplement(ctx, as(w.reviewer), c.ID, provided("m6"))
		})
		w.refuse("supplement of another material", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Supplement(ctx, as(w.zhang), c.ID, provided("m4"))
		}, "经营场所和设备布局、操作流程平面图")

		// Supplemented online on 10-10: the pause held two working days
		// (10-09, 10-10; the holiday costs nothing), so the due date moves
		// from 10-16 to 10-20 (10-18 is a Saturday).
		c = w.step(at(2025, 10, 10, 11, 0), "supplement", func() (*tongban.Case, error) {
			return wf.Supplement(ctx, as(w.zhang), c.ID, provided("m6"))
		})
		if c.State != tongban.CaseInReview || c.Step != 2 || c.DueDate != "2025-10-20" || c.PausedDays != 2 || !c.PausedSince.IsZero() {
			t.Fatalf("after supplement: %s step %d due %s paused %d since %v", c.State, c.Step, c.DueDate, c.PausedDays, c.PausedSince)
		}
		if m, _ := c.Material("m6"); m.BlobHash != "sm3:m6" || m.Status != tongban.MaterialProvided {
			t.Errorf("supplemented material: %+v", m)
		}

		// Expert review (特别程序) Monday to Wednesday: two more working days.
		c = w.step(at(2025, 10, 13, 9, 0), "special start", func() (*tongban.Case, error) {
			return wf.StartSpecial(ctx, as(w.reviewer), c.ID, "专家评审", "自制食品工艺需专家论证")
		})
		w.refuse("deciding during 特别程序", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "通过")
		}, "特别程序")
		c = w.step(at(2025, 10, 15, 17, 0), "special end", func() (*tongban.Case, error) {
			return wf.EndSpecial(ctx, as(w.reviewer), c.ID, "专家组意见：工艺可行")
		})
		if c.DueDate != "2025-10-22" || c.PausedDays != 4 {
			t.Fatalf("after 特别程序: due %s paused %d", c.DueDate, c.PausedDays)
		}

		c = w.step(at(2025, 10, 16, 10, 0), "review 现场核查", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "现场核查合格")
		})
		w.refuse("review at the deciding step", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.decider), c.ID, "同意")
		}, "审查中", "决定")
		// 审核与审批分离: who did 现场核查 may not also decide.
		w.refuse("the reviewer deciding", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Approve(ctx, as(w.reviewer), c.ID, "准予许可")
		}, "「决定」环节须由上一环节以外的人员办理")
		w.refuse("the reviewer denying", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Deny(ctx, as(w.reviewer), c.ID, []string{"不符合条件"})
		}, "上一环节")
		c = w.step(at(2025, 10, 17, 10, 0), "approve", func() (*tongban.Case, error) {
			return wf.Approve(ctx, as(w.decider), c.ID, "准予许可")
		})
		if c.State != tongban.CaseApproved || c.Outcome != tongban.CaseApproved || c.DecidedAt.IsZero() {
			t.Fatalf("approved: %+v", c)
		}
		if ts := w.timeStatus(c); ts.Running || !ts.OnTime || ts.DaysLeft != 3 {
			t.Errorf("decided clock: %+v, want on time with 3 days to spare", ts)
		}
		c = w.step(at(2025, 10, 17, 14, 0), "issue", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.decider), c.ID, "JY25116020001234")
		})
		w.refuse("express without tracking number", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.decider), c.ID, workflow.DeliverInput{})
		}, "运单号")
		c = w.step(at(2025, 10, 18, 9, 0), "deliver by express", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.decider), c.ID, workflow.DeliverInput{TrackingNo: "SF1234567890"})
		})
		if c.State != tongban.CaseClosed || c.Delivery.TrackingNo != "SF1234567890" || c.ResultNo != "JY25116020001234" || c.Visits != 0 {
			t.Fatalf("closed: %+v", c)
		}

		// The commitment is sampled and checked afterwards (事后核查).
		sample, err := wf.SamplePostChecks(ctx, as(w.supervisor), "", 5)
		if err != nil || len(sample) != 1 || sample[0].ID != c.ID {
			t.Fatalf("post-check sample: %v, %v", sample, err)
		}
		if _, err := wf.SamplePostChecks(ctx, as(w.reviewer), "", 5); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("approver sampling: %v", err)
		}
		c = w.step(at(2025, 11, 3, 10, 0), "post-check", func() (*tongban.Case, error) {
			return wf.PostCheck(ctx, as(w.supervisor), c.ID, workflow.PostCheckInput{Passed: true, Note: "健康证明经卫健部门核实"})
		})
		if !c.PostChecked || c.PostCheckFailed {
			t.Errorf("post-checked: %+v", c)
		}
		if sample, _ := wf.SamplePostChecks(ctx, as(w.supervisor), "", 5); len(sample) != 0 {
			t.Errorf("checked case sampled again")
		}

		events := w.checkEvents(c, []ev{
			{tongban.ActionSubmit, "", tongban.CaseSubmitted, w.zhang, nil, 0, false, ""},
			{tongban.ActionAccept, tongban.CaseSubmitted, tongban.CaseAccepted, w.reviewer, w.dept, 0, false, ""},
			{tongban.ActionReview, tongban.CaseAccepted, tongban.CaseInReview, w.reviewer, w.dept, 1, false, "转现场核查"},
			{tongban.ActionRequestCorrection, tongban.CaseInReview, tongban.CaseAwaitingCorrection, w.reviewer, w.dept, 2, false, "平面图与现场布局不符"},
			{tongban.ActionSupplement, tongban.CaseAwaitingCorrection, tongban.CaseInReview, w.zhang, nil, 2, false, ""},
			{tongban.ActionSpecialStart, tongban.CaseInReview, tongban.CaseInReview, w.reviewer, w.dept, 2, false, "专家评审"},
			{tongban.ActionSpecialEnd, tongban.CaseInReview, tongban.CaseInReview, w.reviewer, w.dept, 2, false, "工艺可行"},
			{tongban.ActionReview, tongban.CaseInReview, tongban.CaseInReview, w.reviewer, w.dept, 2, false, "现场核查合格"},
			{tongban.ActionApprove, tongban.CaseInReview, tongban.CaseApproved, w.decider, w.dept, 3, false, "准予许可"},
			{tongban.ActionIssue, tongban.CaseApproved, tongban.CaseResultIssued, w.decider, w.dept, 3, false, "JY25116020001234"},
			{tongban.ActionDeliver, tongban.CaseResultIssued, tongban.CaseClosed, w.decider, w.dept, 3, false, "SF1234567890"},
			{tongban.ActionPostCheck, tongban.CaseClosed, tongban.CaseClosed, w.supervisor, w.cityOffice, 3, false, "核查属实"},
		})
		if events[0].ActorName != "张*丰" || events[1].ActorName != "陈静(gaq-scjgj-chen)" {
			t.Errorf("actor names: %q, %q", events[0].ActorName, events[1].ActorName)
		}
		if !slices.Equal(events[0].Materials, []string{"m1", "m3", "m4", "m6", "m2", "m5"}) || !slices.Equal(events[3].Materials, []string{"m6"}) {
			t.Errorf("materials touched: %v, %v", events[0].Materials, events[3].Materials)
		}
		// The pauses in the events are what moved the due date.
		pauses := workflow.Pauses(events)
		if len(pauses) != 2 || !pauses[0].From.Equal(at(2025, 9, 30, 10, 0)) || !pauses[1].To.Equal(at(2025, 10, 15, 17, 0)) {
			t.Errorf("pauses: %+v", pauses)
		}
		if due := calendar.Default().Due(c.AcceptedAt, c.PromisedDays, pauses); due.Due.String() != c.DueDate {
			t.Errorf("due date from events %s, stored %s", due.Due, c.DueDate)
		}
		w.checkAudit(c, events)

		// The applicant sees the history; another applicant does not.
		if h, err := wf.History(ctx, as(w.zhang), c.ID); err != nil || len(h) != len(events) {
			t.Errorf("applicant's history: %d, %v", len(h), err)
		}
		if _, err := wf.Get(ctx, as(w.li), c.ID); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another applicant reads the case: %v", err)
		}
	})
}
