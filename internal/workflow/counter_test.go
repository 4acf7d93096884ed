package workflow_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// A counter application over the 2026 Spring Festival (02-15..02-23 off,
// 02-14 and 02-28 worked): taken at a comprehensive window, sent home with
// a one-time correction notice, back at the window, accepted with 容缺,
// routed to the 市场准入 board, approved, and picked up at the unified
// window once the owed material arrives. Three trips.
func TestCounterCaseLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf

		w.refuse("clerk of another district", tongban.EForbidden, func() (*tongban.Case, error) {
			w.clock.Set(at(2026, 2, 10, 9, 0))
			return wf.Submit(ctx, as(w.qfqClerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter})
		})
		c := w.step(at(2026, 2, 10, 9, 30), "counter submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter, Form: form("经营场所", "广安区万盛街8号"),
				Materials: append(provided("m1", "m3", "m5"), eLicence("m2", w.li))})
		})
		if c.Number != "511602000000-20260210-000001" || c.Visits != 1 || c.ApplicantName != "李四" || c.Delivery.Method != tongban.DeliveryPickup {
			t.Fatalf("counter submission: %+v", c)
		}
		w.refuse("accept with a key material missing", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{Owed: []string{"m4"}})
		}, "经营场所和设备布局、操作流程平面图", "一次性告知")
		w.refuse("correction notice without reasons", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.RequestCorrection(ctx, as(w.clerk), c.ID, []tongban.Deficiency{{Key: "m3", Reason: "复印件不清晰"}, {Key: "m6"}})
		}, "理由")
		c = w.step(at(2026, 2, 10, 9, 45), "one-time notice", func() (*tongban.Case, error) {
			return wf.RequestCorrection(ctx, as(w.clerk), c.ID, []tongban.Deficiency{
				{Key: "m3", Reason: "身份证复印件不清晰"}, {Key: "m6", Reason: "未提交平面图"}})
		})
		if c.State != tongban.CaseAwaitingCorrection || len(c.Corrections) != 2 || !c.PausedSince.IsZero() {
			t.Fatalf("notice before acceptance (no clock yet): %+v", c)
		}

		// Back at the window two days later: the clerk records the supplement
		// for the applicant standing there, a second trip.
		c = w.step(at(2026, 2, 12, 10, 0), "supplement at the window", func() (*tongban.Case, error) {
			return wf.Supplement(ctx, as(w.clerk2), c.ID, provided("m3", "m6"))
		})
		if c.State != tongban.CaseSubmitted || c.Visits != 2 {
			t.Fatalf("after correction visit: %s, %d visits", c.State, c.Visits)
		}
		w.refuse("a second notice naming something new", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.RequestCorrection(ctx, as(w.clerk), c.ID, []tongban.Deficiency{{Key: "m1", Reason: "未签字"}})
		}, "一次性告知", "食品经营许可申请书")
		w.refuse("容缺 of a key material", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{Owed: []string{"m4", "m5"}})
		}, "核心材料")

		// 容缺受理: the management rules may follow within 3 working days,
		// which over the festival is 02-13, 02-14 (worked Saturday), 02-24.
		// Ten working days from 02-12 end on 03-04.
		c = w.step(at(2026, 2, 12, 10, 10), "accept with 容缺", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{Owed: []string{"m4"}, OwedDays: 3})
		})
		if c.State != tongban.CaseAccepted || c.DueDate != "2026-03-04" || c.OwedDue != "2026-02-24" || c.PausedDays != 0 {
			t.Fatalf("accepted: state %s due %s owed %s paused %d", c.State, c.DueDate, c.OwedDue, c.PausedDays)
		}
		if c.BoardID != w.board.ID || c.Delivery.WindowID != w.w4.ID {
			t.Errorf("routed to board %d and pickup window %d, want the district's 市场准入 board %d and 统一出件 window %d",
				c.BoardID, c.Delivery.WindowID, w.board.ID, w.w4.ID)
		}
		if owed := c.Owed(); len(owed) != 1 || owed[0].Name != "食品安全管理制度文本" {
			t.Errorf("owed: %+v", owed)
		}
		// The board and the department both see it in their queues.
		for _, f := range []tongban.CaseFilter{{BoardID: w.board.ID}, {OrgID: w.dept.ID}} {
			who := w.boardApprover
			if f.OrgID != 0 {
				who = w.decider
			}
			q, err := wf.List(ctx, as(who), f)
			if err != nil || len(q) != 1 || q[0].ID != c.ID || q[0].ApplicantName != "李*" {
				t.Errorf("queue %+v: %v, %v", f, q, err)
			}
		}
		if _, err := wf.List(ctx, as(w.rsjApprover), tongban.CaseFilter{OrgID: w.dept.ID}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("another department's queue: %v", err)
		}

		c = w.step(at(2026, 2, 13, 10, 0), "审查 at the board", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.boardApprover), c.ID, "材料符合要求")
		})
		c = w.step(at(2026, 2, 24, 10, 0), "现场核查 at the board", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.boardApprover), c.ID, "现场核查合格")
		})
		c = w.step(at(2026, 2, 25, 10, 0), "decide in the department", func() (*tongban.Case, error) {
			return wf.Approve(ctx, as(w.decider), c.ID, "准予许可")
		})
		c = w.step(at(2026, 2, 26, 10, 0), "issue", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.boardApprover), c.ID, "JY26116020000088")
		})
		w.refuse("pickup while 容缺 is owed", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), c.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
		}, "已出件", "食品安全管理制度文本")
		w.refuse("close while 容缺 is owed", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Close(ctx, as(w.boardApprover), c.ID, "")
		}, "容缺")

		// At pickup the applicant brings the owed text along: one trip.
		c = w.step(at(2026, 2, 27, 9, 50), "owed material at the window", func() (*tongban.Case, error) {
			return wf.ProvideOwed(ctx, as(w.handout), c.ID, provided("m4"), false)
		})
		if len(c.Owed()) != 0 || c.State != tongban.CaseResultIssued {
			t.Fatalf("after provide-owed: %+v", c)
		}
		// 签收: the collector is checked — the applicant with their ID seen, or
		// a proxy with name, ID number and the 授权委托书.
		for _, bad := range []struct {
			in    workflow.DeliverInput
			field string
		}{
			{workflow.DeliverInput{}, "领取人"},
			{workflow.DeliverInput{Collector: tongban.CollectorSelf}, "身份证件"},
			{workflow.DeliverInput{Collector: tongban.CollectorProxy, CollectorName: "李小四", CollectorID: "511602199003071231", PowerOfAttorney: true}, "代领人"},
			{workflow.DeliverInput{Collector: tongban.CollectorProxy, CollectorName: "李小四", CollectorID: "511602199003071232"}, "授权委托书"},
		} {
			w.refuse("handover without a proper collector", tongban.EInvalid, func() (*tongban.Case, error) {
				return wf.Deliver(ctx, as(w.handout), c.ID, bad.in)
			}, bad.field)
		}
		c = w.step(at(2026, 2, 27, 10, 0), "pickup by a proxy", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), c.ID, workflow.DeliverInput{Collector: tongban.CollectorProxy,
				CollectorName: "李小四", CollectorID: "511602199003071232", PowerOfAttorney: true})
		})
		if h, err := w.st.Handover(ctx, c.ID); err != nil || h.Collector != tongban.CollectorProxy || h.CollectorName != "李小四" ||
			h.CollectorID != "511602199003071232" || !h.PowerOfAttorney || h.WindowID != w.w4.ID || h.ClerkID != w.handout.ID ||
			!h.SignedAt.Equal(at(2026, 2, 27, 10, 0)) {
			t.Errorf("签收 record: %+v, %v", h, err)
		}
		if c.State != tongban.CaseClosed || c.Visits != 3 || c.Delivery.WindowID != w.w4.ID {
			t.Fatalf("picked up: %s, %d visits, window %d", c.State, c.Visits, c.Delivery.WindowID)
		}
		if ts := w.timeStatus(c); !ts.OnTime || ts.DaysLeft != 6 || ts.Running {
			t.Errorf("decided 02-25 against 03-04: %+v", ts)
		}
		events := w.checkEvents(c, []ev{
			{tongban.ActionSubmit, "", tongban.CaseSubmitted, w.clerk, w.w1, 0, true, ""},
			{tongban.ActionRequestCorrection, tongban.CaseSubmitted, tongban.CaseAwaitingCorrection, w.clerk, w.w1, 0, false, "身份证复印件不清晰"},
			{tongban.ActionSupplement, tongban.CaseAwaitingCorrection, tongban.CaseSubmitted, w.clerk2, w.w1, 0, true, ""},
			{tongban.ActionAccept, tongban.CaseSubmitted, tongban.CaseAccepted, w.clerk, w.w1, 0, false, "容缺受理"},
			{tongban.ActionReview, tongban.CaseAccepted, tongban.CaseInReview, w.boardApprover, w.board, 1, false, "材料符合要求"},
			{tongban.ActionReview, tongban.CaseInReview, tongban.CaseInReview, w.boardApprover, w.board, 2, false, "现场核查合格"},
			{tongban.ActionApprove, tongban.CaseInReview, tongban.CaseApproved, w.decider, w.dept, 3, false, "准予许可"},
			{tongban.ActionIssue, tongban.CaseApproved, tongban.CaseResultIssued, w.boardApprover, w.board, 3, false, ""},
			{tongban.ActionProvideOwed, tongban.CaseResultIssued, tongban.CaseResultIssued, w.handout, w.w4, 3, false, ""},
			{tongban.ActionDeliver, tongban.CaseResultIssued, tongban.CaseClosed, w.handout, w.w4, 3, true, "窗口领取"},
		})
		if workflow.CountVisits(events) != 3 {
			t.Errorf("visits from events: %d", workflow.CountVisits(events))
		}
		if len(workflow.Pauses(events)) != 0 {
			t.Errorf("a correction before acceptance is no pause: %+v", workflow.Pauses(events))
		}
		w.checkAudit(c, events)
	})
}

// A denial keeps its reasons and stays listed for supervisors (否定备案)
// after the case is closed.
func TestDenialWithReasons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		c := w.step(at(2026, 3, 2, 9, 0), "submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.wang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelMobile, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6")})
		})
		// A comprehensive window may take an online application too; it
		// still goes straight to the department, not a board.
		c = w.step(at(2026, 3, 2, 14, 0), "accept at a window", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{Note: "网上申请，材料齐全"})
		})
		if c.BoardID != 0 || c.DueDate != "2026-03-16" {
			t.Errorf("online case accepted at a window: board %d, due %s", c.BoardID, c.DueDate)
		}
		c = w.step(at(2026, 3, 3, 9, 0), "审查", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "转现场核查")
		})
		w.refuse("deny at a review step", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Deny(ctx, as(w.reviewer), c.ID, []string{"x"})
		}, "现场核查", "决定")
		c = w.step(at(2026, 3, 4, 9, 0), "现场核查", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "经营场所位于住宅楼内")
		})
		w.refuse("deny without reasons", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Deny(ctx, as(w.decider), c.ID, []string{" ", ""})
		}, "理由")
		reasons := []string{"经营场所位于居民住宅楼内，不符合《食品经营许可和备案管理办法》第十二条的规定",
			"申请人可在改正后重新申请，或自收到决定之日起六十日内申请行政复议"}
		c = w.step(at(2026, 3, 5, 10, 0), "deny", func() (*tongban.Case, error) {
			return wf.Deny(ctx, as(w.decider), c.ID, reasons)
		})
		if c.State != tongban.CaseDenied || c.Outcome != tongban.CaseDenied || len(c.Reasons) != 2 {
			t.Fatalf("denied: %+v", c)
		}
		w.refuse("withdraw after the decision", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Withdraw(ctx, as(w.wang), c.ID, "")
		}, "不予办理", "撤回")
		// The decision is handed over like a result; nobody closes it by hand.
		w.refuse("closing a denial by hand", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Close(ctx, as(w.decider), c.ID, "不予许可决定书已送达")
		}, "不予办理", "办结")
		w.refuse("handing over at another hall", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.qfqClerk), c.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
		})
		c = w.step(at(2026, 3, 5, 15, 0), "deliver the decision", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), c.ID, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
		})
		if c.State != tongban.CaseClosed || c.Outcome != tongban.CaseDenied || c.Delivery.WindowID != w.w4.ID || c.Visits != 1 {
			t.Fatalf("decision delivered: %+v", c)
		}
		denials, err := wf.Denials(ctx, as(w.supervisor), "511602000000", 10, 0)
		if err != nil || len(denials) != 1 || denials[0].ID != c.ID || denials[0].State != tongban.CaseClosed ||
			denials[0].Reasons[0] != reasons[0] || denials[0].ApplicantName != "王*" {
			t.Fatalf("否定备案: %+v, %v", denials, err)
		}
		if _, err := wf.Denials(ctx, as(w.decider), "", 10, 0); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("approver listing denials: %v", err)
		}
		events := w.checkEvents(c, []ev{
			{tongban.ActionSubmit, "", tongban.CaseSubmitted, w.wang, nil, 0, false, ""},
			{tongban.ActionAccept, tongban.CaseSubmitted, tongban.CaseAccepted, w.clerk, w.w1, 0, false, "材料齐全"},
			{tongban.ActionReview, tongban.CaseAccepted, tongban.CaseInReview, w.reviewer, w.dept, 1, false, ""},
			{tongban.ActionReview, tongban.CaseInReview, tongban.CaseInReview, w.reviewer, w.dept, 2, false, "住宅楼"},
			{tongban.ActionDeny, tongban.CaseInReview, tongban.CaseDenied, w.decider, w.dept, 3, false, "第十二条"},
			{tongban.ActionDeliver, tongban.CaseDenied, tongban.CaseClosed, w.handout, w.w4, 3, true, "窗口领取"},
		})
		w.checkAudit(c, events)
	})
}

// A 即办件 is decided on acceptance, in one transaction with both events,
// and handed over on the spot: one trip.
func TestInstantCaseDecidedOnAcceptance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		c := w.step(at(2026, 3, 3, 9, 0), "counter submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.card.ID, ListingVersion: 1,
				ApplicantID: w.zhang.ID, Channel: tongban.ChannelCounter, Materials: provided("c1", "c2")})
		})
		if !c.Instant {
			t.Fatal("card replacement is not instant")
		}
		w.refuse("容缺 where the listing does not allow it", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{Owed: []string{"c2"}})
		}, "容缺")
		c = w.step(at(2026, 3, 3, 9, 5), "accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), c.ID, workflow.AcceptInput{})
		})
		if c.State != tongban.CaseApproved || c.DueDate != "2026-03-03" || c.DecidedAt.IsZero() || c.Step != 1 {
			t.Fatalf("instant: state %s due %s step %d", c.State, c.DueDate, c.Step)
		}
		// No sector board for 社会事务 in this hall: the department's queue.
		if c.BoardID != 0 || c.Delivery.WindowID != w.w4.ID {
			t.Errorf("instant routing: board %d window %d", c.BoardID, c.Delivery.WindowID)
		}
		c = w.step(at(2026, 3, 3, 9, 20), "issue at the window", func() (*tongban.Case, error) {
			return wf.Issue(ctx, as(w.clerk), c.ID, "")
		})
		c = w.step(at(2026, 3, 3, 9, 25), "hand over", func() (*tongban.Case, error) {
			return wf.Deliver(ctx, as(w.handout), c.ID, workflow.DeliverInput{Method: tongban.DeliveryPickup, Collector: tongban.CollectorSelf, IdentityChecked: true})
		})
		if c.Visits != 1 || c.State != tongban.CaseClosed {
			t.Errorf("on the spot: %d visits, %s", c.Visits, c.State)
		}
		if ts := w.timeStatus(c); !ts.OnTime || ts.DaysLeft != 0 {
			t.Errorf("instant clock: %+v", ts)
		}
		w.checkEvents(c, []ev{
			{tongban.ActionSubmit, "", tongban.CaseSubmitted, w.clerk, w.w1, 0, true, ""},
			{tongban.ActionAccept, tongban.CaseSubmitted, tongban.CaseAccepted, w.clerk, w.w1, 0, false, ""},
			{tongban.ActionApprove, tongban.CaseAccepted, tongban.CaseApproved, w.clerk, w.w1, 1, false, "即办件"},
			{tongban.ActionIssue, tongban.CaseApproved, tongban.CaseResultIssued, w.clerk, w.w1, 1, false, ""},
			{tongban.ActionDeliver, tongban.CaseResultIssued, tongban.CaseClosed, w.handout, w.w4, 1, false, ""},
		})
	})
}
