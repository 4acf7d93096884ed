package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
)

func TestOutboxCommitsWithTheChange(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		scope := outbox.Scope{RegionCode: dept.RegionCode, OrgID: dept.ID}
		if err := outbox.Append(ctx, st, "case.submitted", "case:1", scope, t0, map[string]string{"number": "1"}); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err := st.Transact(ctx, func(tx tongban.Store) error {
			if err := outbox.Append(ctx, tx, "case.accepted", "case:1", scope, t0, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Transact = %v", err)
		}
		var n int
		var typ, payload string
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*), MIN(type), MIN(payload) FROM outbox`).Scan(&n, &typ, &payload); err != nil {
			t.Fatal(err)
		}
		if n != 1 || typ != "case.submitted" || payload != `{"number":"1"}` {
			t.Errorf("outbox holds %d events (%s %s); want only the committed case.submitted", n, typ, payload)
		}
		if err := outbox.Append(ctx, st, "malformed", "case:1", scope, t0, nil); err == nil {
			t.Error("an event type without a concept was stored")
		}
	})
}

func TestDataUsesListedNewestFirst(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		for i, kind := range []tongban.DataUseKind{tongban.DataUseSharedLookup, tongban.DataUseStaffReveal} {
			use := &tongban.DataUse{SubjectID: u.ID, At: t0.Add(time.Duration(i) * time.Minute), Kind: kind,
				ActorName: "市场监管局 审批人员", OrgID: dept.ID, OrgName: dept.Name, Resource: "id_number",
				Fields: []string{"id_number"}, CaseNumber: "511602000000-20260302-000001", Reason: "核对申请人身份"}
			if err := st.RecordDataUse(ctx, use); err != nil {
				t.Fatal(err)
			}
		}
		uses, err := st.DataUses(ctx, u.ID, 10, 0)
		if err != nil || len(uses) != 2 {
			t.Fatalf("DataUses = %d, %v; want 2", len(uses), err)
		}
		if uses[0].Kind != tongban.DataUseStaffReveal || uses[1].Kind != tongban.DataUseSharedLookup {
			t.Errorf("order = %s, %s; want newest first", uses[0].Kind, uses[1].Kind)
		}
		if got := uses[1]; got.OrgName != dept.Name || got.Reason != "核对申请人身份" || len(got.Fields) != 1 || !got.At.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("round trip lost data: %+v", got)
		}
		if others, _ := st.DataUses(ctx, u.ID+1000, 10, 0); len(others) != 0 {
			t.Errorf("another person sees %d uses", len(others))
		}
	})
}

func TestDataUsesRecordedTogether(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		dept, _ := seedRegionsAndOrgs(t, st)
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		kinds := []tongban.DataUseKind{tongban.DataUseSharedLookup, tongban.DataUseLicense, tongban.DataUseLibrary}
		batch := func(number string) []*tongban.DataUse {
			var us []*tongban.DataUse
			for i, kind := range kinds {
				us = append(us, &tongban.DataUse{SubjectID: u.ID, At: t0.Add(time.Duration(i) * time.Second), Kind: kind,
					ActorName: "申请人本人提交", ActorID: u.ID, OrgID: dept.ID, OrgName: dept.Name, Resource: string(kind),
					Fields: []string{"名称", string(kind)}, CaseNumber: number, Reason: "办理「" + string(kind) + "」"})
			}
			return us
		}
		// A failed transaction keeps none of them.
		boom := errors.New("boom")
		if err := st.Transact(ctx, func(tx tongban.Store) error {
			if err := tx.RecordDataUses(ctx, batch("rolled-back")); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("Transact = %v", err)
		}
		if err := st.Transact(ctx, func(tx tongban.Store) error { return tx.RecordDataUses(ctx, batch("511602000000-20260302-000002")) }); err != nil {
			t.Fatal(err)
		}
		if err := st.RecordDataUses(ctx, nil); err != nil {
			t.Errorf("no uses: %v", err)
		}
		uses, err := st.DataUses(ctx, u.ID, 10, 0)
		if err != nil || len(uses) != len(kinds) {
			t.Fatalf("DataUses = %d, %v; want %d (the committed batch only)", len(uses), err, len(kinds))
		}
		for i, got := range uses { // newest first: the batch in reverse
			kind := kinds[len(kinds)-1-i]
			if got.Kind != kind || got.Resource != string(kind) || got.Reason != "办理「"+string(kind)+"」" ||
				got.CaseNumber != "511602000000-20260302-000002" || got.ActorID != u.ID || got.OrgID != dept.ID ||
				len(got.Fields) != 2 || got.Fields[1] != string(kind) || got.ID == 0 {
				t.Errorf("use %d = %+v; want the %s record as written", i, got, kind)
			}
		}
	})
}
