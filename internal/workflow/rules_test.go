package workflow_test

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// Transitions the state does not allow are conflicts that name the state,
// and leave the case as it was.
func TestIllegalTransitionsNameTheState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		c := w.step(at(2025, 9, 29, 9, 0), "submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6")})
		})
		id := c.ID
		for _, tc := range []struct {
			name  string
			fn    func() (*tongban.Case, error)
			words []string
		}{
			{"approve before acceptance", func() (*tongban.Case, error) { return wf.Approve(ctx, as(w.decider), id, "") }, []string{"待受理", "准予办理"}},
			{"issue before a decision", func() (*tongban.Case, error) { return wf.Issue(ctx, as(w.decider), id, "") }, []string{"待受理", "出具结果"}},
			{"supplement without a notice", func() (*tongban.Case, error) { return wf.Supplement(ctx, as(w.zhang), id, provided("m1")) }, []string{"待受理", "补正材料"}},
			{"deliver before a result", func() (*tongban.Case, error) {
				return wf.Deliver(ctx, as(w.handout), id, workflow.DeliverInput{Collector: tongban.CollectorSelf, IdentityChecked: true})
			}, []string{"待受理", "送达"}},
			{"end a special procedure never started", func() (*tongban.Case, error) { return wf.EndSpecial(ctx, as(w.reviewer), id, "") }, []string{"待受理"}},
		} {
			w.refuse(tc.name, tongban.EConflict, tc.fn, tc.words...)
		}

		c = w.step(at(2025, 9, 29, 10, 0), "accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), id, workflow.AcceptInput{})
		})
		w.refuse("accept twice", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk2), id, workflow.AcceptInput{})
		}, "办件当前状态为「已受理」，不能执行「受理」")
		w.refuse("reject after acceptance", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Reject(ctx, as(w.clerk), id, []string{"不属于本部门职权"})
		}, "已受理", "不予受理")
		w.refuse("end special while none runs", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.EndSpecial(ctx, as(w.reviewer), id, "")
		}, "没有进行中的特别程序")
		w.refuse("provide-owed with nothing owed", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.ProvideOwed(ctx, as(w.zhang), id, provided("m4"), false)
		}, "没有待补的容缺材料")
		w.refuse("stale version", tongban.EConflict, func() (*tongban.Case, error) {
			r := as(w.reviewer)
			r.Version = c.Version - 1
			return wf.Review(ctx, r, id, "同意")
		}, "已被他人更新")

		c = w.step(at(2025, 9, 29, 11, 0), "withdraw", func() (*tongban.Case, error) {
			return wf.Withdraw(ctx, as(w.zhang), id, "经营场所变更，另行申请")
		})
		if c.State != tongban.CaseWithdrawn {
			t.Fatalf("withdrawn: %s", c.State)
		}
		w.refuse("withdraw twice", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Withdraw(ctx, as(w.zhang), id, "")
		}, "已撤回", "撤回")
		w.refuse("review a withdrawn case", tongban.EConflict, func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), id, "同意")
		}, "已撤回")
		if ts := w.timeStatus(c); ts.Running || ts.Paused {
			t.Errorf("withdrawn case still on the clock: %+v", ts)
		}
		evs, _ := w.st.CaseEvents(ctx, id)
		if len(evs) != 3 {
			t.Errorf("refused actions wrote events: %d events", len(evs))
		}
	})
}

// Wrong role or wrong org: forbidden, whatever the state.
func TestWrongRoleOrOrgIsForbidden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		counter := w.step(at(2026, 3, 2, 9, 0), "counter submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				ApplicantID: w.li.ID, Channel: tongban.ChannelCounter, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6")})
		})
		online := w.step(at(2026, 3, 2, 9, 0), "online submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Materials: provided("m1", "m2", "m3", "m4", "m5", "m6")})
		})
		for _, tc := range []struct {
			name string
			fn   func() (*tongban.Case, error)
		}{
			{"a window of another district accepts", func() (*tongban.Case, error) {
				return wf.Accept(ctx, as(w.qfqClerk), counter.ID, workflow.AcceptInput{})
			}},
			{"an approver accepts at the counter's place", func() (*tongban.Case, error) {
				return wf.Accept(ctx, as(w.reviewer), counter.ID, workflow.AcceptInput{})
			}},
			{"another department accepts an online case", func() (*tongban.Case, error) {
				return wf.Accept(ctx, as(w.rsjApprover), online.ID, workflow.AcceptInput{})
			}},
			{"the applicant accepts their own case", func() (*tongban.Case, error) {
				return wf.Accept(ctx, as(w.zhang), online.ID, workflow.AcceptInput{})
			}},
			{"a supervisor rejects", func() (*tongban.Case, error) {
				return wf.Reject(ctx, as(w.supervisor), online.ID, []string{"x"})
			}},
			{"someone else withdraws", func() (*tongban.Case, error) { return wf.Withdraw(ctx, as(w.li), online.ID, "") }},
			{"a clerk withdraws for the applicant", func() (*tongban.Case, error) { return wf.Withdraw(ctx, as(w.clerk), counter.ID, "") }},
			{"online submission in another's name", func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
					ApplicantID: w.li.ID, Channel: tongban.ChannelOnline})
			}},
			{"staff applying online", func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.clerk), workflow.Application{ListingID: w.food.ID, ListingVersion: 2, Channel: tongban.ChannelOnline})
			}},
			{"a citizen takes a counter application", func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
					ApplicantID: w.li.ID, Channel: tongban.ChannelCounter})
			}},
		} {
			w.refuse(tc.name, tongban.EForbidden, tc.fn)
		}

		w.step(at(2026, 3, 2, 10, 0), "accept counter", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.clerk), counter.ID, workflow.AcceptInput{})
		})
		w.step(at(2026, 3, 2, 10, 0), "accept online", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.reviewer), online.ID, workflow.AcceptInput{})
		})
		for _, tc := range []struct {
			name string
			fn   func() (*tongban.Case, error)
		}{
			{"a clerk reviews", func() (*tongban.Case, error) { return wf.Review(ctx, as(w.clerk), counter.ID, "同意") }},
			{"another department reviews", func() (*tongban.Case, error) { return wf.Review(ctx, as(w.rsjApprover), counter.ID, "同意") }},
			{"a board reviews a case not routed to it", func() (*tongban.Case, error) {
				return wf.Review(ctx, as(w.boardApprover), online.ID, "同意")
			}},
			{"the applicant approves", func() (*tongban.Case, error) { return wf.Approve(ctx, as(w.zhang), online.ID, "") }},
			{"a clerk asks for correction during review", func() (*tongban.Case, error) {
				return wf.RequestCorrection(ctx, as(w.clerk), online.ID, []tongban.Deficiency{{Key: "m1", Reason: "x"}})
			}},
			{"a clerk starts a special procedure", func() (*tongban.Case, error) { return wf.StartSpecial(ctx, as(w.clerk), online.ID, "听证", "") }},
			{"a clerk issues a promised case", func() (*tongban.Case, error) { return wf.Issue(ctx, as(w.clerk), online.ID, "") }},
			{"an approver post-checks another department", func() (*tongban.Case, error) {
				return wf.PostCheck(ctx, as(w.rsjApprover), online.ID, workflow.PostCheckInput{Passed: true})
			}},
		} {
			w.refuse(tc.name, tongban.EForbidden, tc.fn)
		}
		if _, err := wf.Approve(ctx, workflow.Request{}, online.ID, ""); !tongban.IsCode(err, tongban.EUnauthorized) {
			t.Errorf("anonymous: %v", err)
		}
		// Pickup needs the handout permission at a window serving the place.
		for _, who := range []*tongban.User{w.reviewer, w.qfqClerk, w.li} {
			c, _ := w.st.Case(ctx, counter.ID)
			c.State, c.Outcome = tongban.CaseResultIssued, tongban.CaseApproved
			if err := w.st.UpdateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			w.refuse("pickup by "+who.Name, tongban.EForbidden, func() (*tongban.Case, error) {
				return wf.Deliver(ctx, as(who), counter.ID, workflow.DeliverInput{Method: tongban.DeliveryPickup, Collector: tongban.CollectorSelf, IdentityChecked: true})
			})
		}
	})
}

// 告知承诺 only where the listing allows it, and only for proofs.
func TestCommitmentAndMaterialRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		w.clock.Set(at(2026, 3, 2, 9, 0))
		apply := func(l *tongban.Listing, ms ...tongban.CaseMaterial) func() (*tongban.Case, error) {
			return func() (*tongban.Case, error) {
				return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: l.ID, ListingVersion: l.Version,
					Channel: tongban.ChannelOnline, Materials: ms})
			}
		}
		w.refuse("commitment for a licence", tongban.EInvalid, apply(w.food, tongban.CaseMaterial{Key: "m3", Status: tongban.MaterialCommitment}), "不是证明材料")
		w.refuse("commitment where not allowed", tongban.EInvalid, apply(w.card, tongban.CaseMaterial{Key: "c1", Status: tongban.MaterialCommitment}), "未实行告知承诺制")
		w.refuse("an unknown material", tongban.EInvalid, apply(w.food, tongban.CaseMaterial{Key: "m9"}), "m9")
		w.refuse("a material twice", tongban.EInvalid, apply(w.food, tongban.CaseMaterial{Key: "m1"}, tongban.CaseMaterial{Key: "m1"}), "重复")
		w.refuse("owed chosen by the applicant", tongban.EInvalid, apply(w.food, tongban.CaseMaterial{Key: "m4", Status: tongban.MaterialOwed}), "容缺")
		w.refuse("a form that is not an object", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Form: []byte(`["a"]`)})
		}, "JSON")
		w.refuse("express where the listing has none", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.card.ID, ListingVersion: 1,
				Channel: tongban.ChannelOnline, Delivery: tongban.DeliveryExpress})
		}, "快递")
		w.refuse("a listing version that does not exist", tongban.EInvalid, func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 1, Channel: tongban.ChannelOnline})
		})

		// Drafts: saved, edited, then submitted; nothing is numbered twice.
		draft := w.step(at(2026, 3, 2, 9, 10), "save draft", func() (*tongban.Case, error) {
			return wf.SaveDraft(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Form: form("经营场所", "草稿")})
		})
		draft = w.step(at(2026, 3, 2, 9, 20), "edit draft", func() (*tongban.Case, error) {
			return wf.UpdateDraft(ctx, as(w.zhang), draft.ID, workflow.DraftEdit{Form: form("经营场所", "北辰路9号"),
				Materials: append(provided("m1"), tongban.CaseMaterial{Key: "m5", Status: tongban.MaterialCommitment})})
		})
		w.refuse("edit someone else's draft", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.UpdateDraft(ctx, as(w.li), draft.ID, workflow.DraftEdit{})
		})
		draft = w.step(at(2026, 3, 2, 9, 30), "submit draft", func() (*tongban.Case, error) {
			return wf.SubmitDraft(ctx, as(w.zhang), draft.ID)
		})
		if draft.State != tongban.CaseSubmitted || !draft.NeedsPostCheck || string(draft.Form) != `{"经营场所":"北辰路9号"}` {
			t.Errorf("submitted draft: %+v", draft)
		}
		evs, _ := w.st.CaseEvents(ctx, draft.ID)
		if len(evs) != 2 || evs[0].Action != tongban.ActionDraft || evs[1].From != tongban.CaseDraft {
			t.Errorf("draft events: %+v", evs)
		}
	})
}
