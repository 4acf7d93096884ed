package identity_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestReadingAnApplicantNeedsAPurpose: any window clerk read any citizen's
// full ID number and phone, any approver any citizen. Now staff read an
// applicant only for a case they may see or the applicant they serve at
// the counter (found by the full ID number presented); a full value needs
// a reason, which is audited and recorded as a data use of the person
// (department and role, never a username); past the hourly limit the
// supervisors get an alert.
func TestReadingAnApplicantNeedsAPurpose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		f, ctx := newFixture(t, d), context.Background()
		citizen := f.citizen(t)
		clerk := f.staff(t, "clerk1", tongban.RoleClerk, f.deptA)
		approver := f.staff(t, "approver1", tongban.RoleApprover, f.deptA)
		// The workflow's case visibility, reduced to one case of the
		// citizen that only the approver may see.
		f.svc.Cases = func(ctx context.Context, actor *tongban.User, number string) (int64, error) {
			if number != "511602-20260302-000001" {
				return 0, tongban.Errorf(tongban.ENotFound, "办件不存在")
			}
			if actor.ID != approver.ID {
				return 0, tongban.Errorf(tongban.EForbidden, "无权查看该办件")
			}
			return citizen.ID, nil
		}
		f.svc.FullReadsPerHour = 3
		read := func(actor *tongban.User, full bool, why identity.Purpose) error {
			_, err := f.svc.ReadUser(ctx, citizen.ID, full, why, identity.Request{Actor: actor, IP: "10.1.1.1"})
			return err
		}
		forbidden := []struct {
			name  string
			actor *tongban.User
			full  bool
			why   identity.Purpose
		}{
			{"clerk, no purpose", clerk, false, identity.Purpose{}},
			{"clerk, full, no purpose", clerk, true, identity.Purpose{Reason: "好奇"}},
			{"approver, no purpose", approver, false, identity.Purpose{}},
			{"clerk, someone else's case", clerk, false, identity.Purpose{CaseNumber: "511602-20260302-000001"}},
			{"clerk at the counter before the lookup", clerk, false, identity.Purpose{Counter: true}},
			{"approver claiming the counter", approver, false, identity.Purpose{Counter: true}},
			{"approver, own case, full (no applicant.read_pii)", approver, true, identity.Purpose{CaseNumber: "511602-20260302-000001", Reason: "核对"}},
		}
		for _, tc := range forbidden {
			if err := read(tc.actor, tc.full, tc.why); !tongban.IsCode(err, tongban.EForbidden) {
				t.Errorf("%s: %v, want forbidden", tc.name, err)
			}
		}
		if err := read(approver, false, identity.Purpose{CaseNumber: "511602-20260302-000001"}); err != nil {
			t.Errorf("approver, own case: %v", err)
		}

		// At the counter: the applicant presents the ID card.
		if _, err := f.svc.CounterLookup(ctx, "11010519491231002x", identity.Request{Actor: approver}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("approver at the counter: %v", err)
		}
		if _, err := f.svc.CounterLookup(ctx, "11010519491231002x", identity.Request{Actor: clerk}); err != nil {
			t.Fatal(err)
		}
		if err := read(clerk, false, identity.Purpose{Counter: true}); err != nil {
			t.Errorf("clerk serving the applicant: %v", err)
		}
		err := read(clerk, true, identity.Purpose{Counter: true})
		wantField(t, err, tongban.EInvalid, "reason")
		before := countAction(t, f.st, tongban.AuditPIIRead)
		for i := 0; i < 4; i++ {
			if err := read(clerk, true, identity.Purpose{Counter: true, Reason: "核对申请表联系电话"}); err != nil {
				t.Fatalf("full read %d: %v", i, err)
			}
		}
		if n := countAction(t, f.st, tongban.AuditPIIRead); n != before+4 {
			t.Errorf("pii_read entries %d → %d, want 4 more", before, n)
		}
		uses, err := f.st.DataUses(ctx, citizen.ID, 50, 0)
		if err != nil {
			t.Fatal(err)
		}
		reveals := 0
		for _, u := range uses {
			if u.Kind != tongban.DataUseStaffReveal {
				continue
			}
			reveals++
			if u.Reason != "核对申请表联系电话" || u.ActorName != f.deptA.Name+" "+tongban.RoleClerk.Label() || strings.Contains(u.ActorName, "clerk1") {
				t.Errorf("data use %+v", u)
			}
		}
		if reveals != 4 {
			t.Errorf("%d staff_reveal uses recorded, want 4", reveals)
		}
		// The fourth read in the hour passed the limit of three: one alert.
		alerts, err := f.st.StaffAlerts(ctx, tongban.StaffAlertFilter{Kind: tongban.AlertFullReads})
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts) != 1 || alerts[0].ActorID != clerk.ID || alerts[0].Count != 4 || alerts[0].RegionCode != f.deptA.RegionCode {
			t.Fatalf("alerts %+v", alerts)
		}
		// The counter purpose lapses after the visit.
		f.clock.Advance(identity.CounterServiceTTL + time.Minute)
		if err := read(clerk, false, identity.Purpose{Counter: true}); !tongban.IsCode(err, tongban.EForbidden) {
			t.Errorf("after the visit: %v", err)
		}
	})
}
