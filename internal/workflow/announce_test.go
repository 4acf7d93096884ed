package workflow_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// Every case event but a draft's goes to the outbox in its own transaction:
// one outbox event per case event, typed case.{action}, about case:{number},
// scoped to the case's region and department; with the outbox off, none.
func TestCaseEventsAnnounced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		ctx, wf := w.ctx, w.wf
		materials := append(provided("m1", "m3", "m4", "m5", "m6"), eLicence("m2", w.zhang))
		w.step(at(2025, 9, 25, 9, 0), "draft", func() (*tongban.Case, error) {
			return wf.SaveDraft(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Form: form("经营场所", "广安区北辰路12号")})
		})
		c := w.step(at(2025, 9, 25, 10, 0), "submit", func() (*tongban.Case, error) {
			return wf.Submit(ctx, as(w.zhang), workflow.Application{ListingID: w.food.ID, ListingVersion: 2,
				Channel: tongban.ChannelOnline, Form: form("经营场所", "广安区北辰路12号"), Materials: materials})
		})
		c = w.step(at(2025, 9, 26, 9, 0), "accept", func() (*tongban.Case, error) {
			return wf.Accept(ctx, as(w.reviewer), c.ID, workflow.AcceptInput{})
		})
		w.refuse("review by the applicant", tongban.EForbidden, func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.zhang), c.ID, "自己审查")
		})
		events, err := w.st.CaseEvents(ctx, c.ID)
		w.must(err)
		out, err := w.st.OutboxEvents(ctx, 0, math.MaxInt64, 100)
		w.must(err)
		if len(out) != len(events) {
			t.Fatalf("%d outbox events for %d case events (a draft, a refused action announce nothing): %+v", len(out), len(events), out)
		}
		for i, e := range events {
			o := out[i]
			var a workflow.CaseAnnouncement
			w.must(json.Unmarshal(o.Payload, &a))
			if o.Type != "case."+string(e.Action) || o.Subject != "case:"+c.Number || o.RegionCode != c.RegionCode ||
				o.OrgID != c.OrgID || !o.At.Equal(e.At) || o.EventID == "" {
				t.Errorf("outbox event %d = %+v for case event %s", i, o, e.Action)
			}
			if a.Number != c.Number || a.Seq != e.Seq || a.Action != e.Action || a.To != e.To || a.UserID != w.zhang.ID ||
				a.OrgID != c.OrgID || a.ItemName != "食品经营许可" {
				t.Errorf("payload %d = %+v", i, a)
			}
		}

		w.wf.Outbox = false
		w.step(at(2025, 9, 29, 15, 0), "review with the outbox off", func() (*tongban.Case, error) {
			return wf.Review(ctx, as(w.reviewer), c.ID, "材料齐全")
		})
		if again, _ := w.st.OutboxEvents(ctx, 0, math.MaxInt64, 100); len(again) != len(out) {
			t.Errorf("outbox off: %d events, want still %d", len(again), len(out))
		}
	})
}
