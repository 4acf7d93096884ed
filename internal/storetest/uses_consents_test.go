package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestUsesAndConsentsRecordedTogether: an action's 用证 consents and
// data-use records are written together, and only if its transaction
// commits; with no consents it writes the uses alone.
func TestUsesAndConsentsRecordedTogether(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, u := storedLicence(t, st)
		now := t0.Add(time.Hour)
		records := func(number string) ([]*tongban.LicenseConsent, []*tongban.DataUse) {
			cs := []*tongban.LicenseConsent{{LicenseID: l.ID, Identifier: l.Identifier, Version: l.Version, HolderID: u.ID,
				CaseNumber: number, Reason: "办理「食品经营许可延续」", GivenBy: u.ID, CreatedAt: now}}
			var us []*tongban.DataUse
			for i, kind := range []tongban.DataUseKind{tongban.DataUseLicense, tongban.DataUseSharedLookup} {
				us = append(us, &tongban.DataUse{SubjectID: u.ID, At: now.Add(time.Duration(i) * time.Second), Kind: kind,
					ActorName: "申请人本人提交", ActorID: u.ID, Resource: string(kind), Fields: []string{string(kind)},
					CaseNumber: number, Reason: "办理「" + string(kind) + "」"})
			}
			return cs, us
		}
		boom := errors.New("boom")
		if err := st.Transact(ctx, func(tx tongban.Store) error {
			cs, us := records("rolled-back")
			if err := tx.RecordUsesAndConsents(ctx, cs, us); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("Transact = %v", err)
		}
		const number = "511600000000-20260302-000009"
		if err := st.Transact(ctx, func(tx tongban.Store) error {
			cs, us := records(number)
			return tx.RecordUsesAndConsents(ctx, cs, us)
		}); err != nil {
			t.Fatal(err)
		}
		_, onlyUses := records("511600000000-20260302-000010")
		onlyUses[0].At = now.Add(-time.Hour) // listed last
		if err := st.RecordUsesAndConsents(ctx, nil, onlyUses[:1]); err != nil {
			t.Fatalf("uses alone: %v", err)
		}
		cs, err := st.LicenseConsents(ctx, l.ID)
		if err != nil || len(cs) != 1 {
			t.Fatalf("LicenseConsents = %d, %v; want the committed one", len(cs), err)
		}
		if c := cs[0]; c.CaseNumber != number || c.Version != l.Version || c.HolderID != u.ID || c.GivenBy != u.ID ||
			c.Reason != "办理「食品经营许可延续」" || !c.CreatedAt.Equal(now.Truncate(time.Microsecond)) || c.ID == 0 {
			t.Errorf("consent = %+v; want it as written", c)
		}
		uses, err := st.DataUses(ctx, u.ID, 10, 0)
		if err != nil || len(uses) != 3 {
			t.Fatalf("DataUses = %d, %v; want 3 (the committed two and the one alone)", len(uses), err)
		}
		if uses[0].Kind != tongban.DataUseSharedLookup || uses[0].CaseNumber != number || uses[1].Kind != tongban.DataUseLicense ||
			uses[2].CaseNumber != "511600000000-20260302-000010" {
			t.Errorf("uses = %+v, %+v, %+v", uses[0], uses[1], uses[2])
		}
	})
}

// TestCaseCreatedWithItsRecords: a submission's case row, 用证 consents and
// data-use records are written together (one statement on PostgreSQL):
// all of them commit, or, when the case cannot be inserted, none.
func TestCaseCreatedWithItsRecords(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, u := storedLicence(t, st)
		dept, err := st.OrgByCode(ctx, "gaq-scjgj")
		if err != nil {
			t.Fatal(err)
		}
		records := func(number string) ([]*tongban.LicenseConsent, []*tongban.DataUse) {
			us := append(licenceUse(l, u, dept, number),
				&tongban.DataUse{SubjectID: u.ID, At: t0.Add(time.Second), Kind: tongban.DataUseLibrary, ActorID: u.ID, ActorName: "申请人本人提交",
					OrgID: dept.ID, OrgName: dept.Name, Resource: "library:1", Fields: []string{"法定代表人身份证明"}, CaseNumber: number, Reason: "材料库"})
			return licenceConsent(l, u, number), us
		}
		const number = "511602000000-20260302-000001"
		c := newCase(dept, u, number, "key-1")
		cs, us := records(number)
		if err := st.Transact(ctx, func(tx tongban.Store) error {
			return tx.CreateCaseRecording(ctx, c, tongban.CaseRecords{Consents: cs, Uses: us})
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := st.CaseByNumber(ctx, number); err != nil || got.ID != c.ID || c.ID == 0 || got.IdempotencyKey != "key-1" {
			t.Fatalf("case = %+v, %v; want it stored with id %d", got, err, c.ID)
		}
		// The same idempotency key again: refused as CreateCase refuses it, and its records not kept.
		again := newCase(dept, u, "511602000000-20260302-000002", "key-1")
		cs2, us2 := records(again.Number)
		err = st.Transact(ctx, func(tx tongban.Store) error {
			return tx.CreateCaseRecording(ctx, again, tongban.CaseRecords{Consents: cs2, Uses: us2})
		})
		if e := tongban.AsError(err); e.Code != tongban.EConflict || e.Field != "idempotency_key" {
			t.Fatalf("second case with the key = %v; want the idempotency conflict", err)
		}
		// No records: the case alone.
		alone := newCase(dept, u, "511602000000-20260302-000003", "key-3")
		if err := st.CreateCaseRecording(ctx, alone, tongban.CaseRecords{}); err != nil || alone.ID == 0 {
			t.Fatalf("case alone: id %d, %v", alone.ID, err)
		}
		consents, err := st.LicenseConsents(ctx, l.ID)
		if err != nil || len(consents) != 1 || consents[0].CaseNumber != number || consents[0].GivenBy != u.ID {
			t.Fatalf("consents = %+v, %v; want the first case's only", consents, err)
		}
		uses, err := st.DataUses(ctx, u.ID, 10, 0)
		if err != nil || len(uses) != 2 {
			t.Fatalf("DataUses = %d, %v; want the first case's two", len(uses), err)
		}
		if uses[0].Kind != tongban.DataUseLibrary || uses[1].Kind != tongban.DataUseLicense || uses[1].OrgID != dept.ID ||
			uses[0].CaseNumber != number || uses[1].Resource != l.Identifier {
			t.Errorf("uses = %+v, %+v", uses[0], uses[1])
		}
	})
}

// TestConsentsRefusedForAWithdrawnLicence: a 用证 consent is stored only
// while its licence is 有效. The licence is checked before the
// submission's transaction and not read again in it, so every way a
// consent is written counts the licences in the same statement (on
// PostgreSQL, the case row's or the data uses'), and refuses all with
// nothing stored once one was revoked or changed.
func TestConsentsRefusedForAWithdrawnLicence(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, u := storedLicence(t, st)
		dept, err := st.OrgByCode(ctx, "gaq-scjgj")
		if err != nil {
			t.Fatal(err)
		}
		consent := func(number string) []*tongban.LicenseConsent { return licenceConsent(l, u, number) }
		use := func(number string) []*tongban.DataUse { return licenceUse(l, u, dept, number) }
		// While 有效, the same licence used twice in one batch counts once.
		const first = "511602000000-20260302-000011"
		twice := append(consent(first), consent(first)...)
		if err := st.Transact(ctx, func(tx tongban.Store) error {
			return tx.CreateCaseRecording(ctx, newCase(dept, u, first, "key-11"), tongban.CaseRecords{Consents: twice, Uses: use(first)})
		}); err != nil {
			t.Fatalf("a case with two consents of one valid licence: %v", err)
		}
		if err := st.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, "吊销", t0); err != nil {
			t.Fatal(err)
		}
		const number = "511602000000-20260302-000012"
		refused := map[string]func(tx tongban.Store) error{
			"CreateCaseRecording": func(tx tongban.Store) error {
				return tx.CreateCaseRecording(ctx, newCase(dept, u, number, "key-12"), tongban.CaseRecords{Consents: consent(number), Uses: use(number)})
			},
			"CreateCaseRecording, consents only": func(tx tongban.Store) error {
				return tx.CreateCaseRecording(ctx, newCase(dept, u, number, "key-12"), tongban.CaseRecords{Consents: consent(number)})
			},
			"RecordUsesAndConsents": func(tx tongban.Store) error { return tx.RecordUsesAndConsents(ctx, consent(number), use(number)) },
			"RecordUsesAndConsents, consents only": func(tx tongban.Store) error {
				return tx.RecordUsesAndConsents(ctx, consent(number), nil)
			},
			"CreateLicenseConsent": func(tx tongban.Store) error { return tx.CreateLicenseConsent(ctx, consent(number)[0]) },
		}
		for name, write := range refused {
			err := st.Transact(ctx, write)
			if !tongban.LicenceWithdrawn(err) || !strings.Contains(tongban.AsError(err).Message, "注销或变更") {
				t.Errorf("%s with a revoked licence = %v; want LicenceWithdrawn", name, err)
			}
		}
		if _, err := st.CaseByNumber(ctx, number); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("a refused case is stored: %v", err)
		}
		if cs, err := st.LicenseConsents(ctx, l.ID); err != nil || len(cs) != 2 || cs[0].CaseNumber != first {
			t.Errorf("consents = %+v, %v; want the first case's two only", cs, err)
		}
		if us, err := st.DataUses(ctx, u.ID, 10, 0); err != nil || len(us) != 1 || us[0].CaseNumber != first {
			t.Errorf("data uses = %+v, %v; want the first case's only", us, err)
		}
	})
}

// licenceConsent is the holder's 用证 consent to l for case number.
func licenceConsent(l *tongban.License, u *tongban.User, number string) []*tongban.LicenseConsent {
	return []*tongban.LicenseConsent{{LicenseID: l.ID, Identifier: l.Identifier, Version: l.Version, HolderID: u.ID,
		CaseNumber: number, Reason: "办理「食品经营许可证核发」", GivenBy: u.ID, CreatedAt: t0}}
}

// licenceUse is the data-use record of l's use by dept for case number.
func licenceUse(l *tongban.License, u *tongban.User, dept *tongban.Org, number string) []*tongban.DataUse {
	return []*tongban.DataUse{{SubjectID: u.ID, At: t0, Kind: tongban.DataUseLicense, ActorID: u.ID, ActorName: "申请人本人提交",
		OrgID: dept.ID, OrgName: dept.Name, Resource: l.Identifier, Fields: []string{l.TypeName}, CaseNumber: number, Reason: "用证"}}
}

// TestConsentsOfTwoLicencesAllOrNone: consents naming two licences are
// stored together while both are 有效, and once one is revoked none of
// them is (SQLite's one insert counts both licences in its WHERE; a
// row-by-row condition would keep the valid one's).
func TestConsentsOfTwoLicencesAllOrNone(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, u := storedLicence(t, st)
		other := *l
		other.ID, other.Number, other.Signature = 0, "511600202600000002", nil
		id, err := license.ParseIdentifier(l.Identifier)
		if err != nil {
			t.Fatal(err)
		}
		id.Serial = "20260000002"
		other.Identifier = id.String()
		if err := st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, &other) }); err != nil {
			t.Fatal(err)
		}
		both := func(number string) []*tongban.LicenseConsent {
			return append(licenceConsent(l, u, number), licenceConsent(&other, u, number)...)
		}
		const first, second = "511602000000-20260302-000021", "511602000000-20260302-000022"
		if err := st.Transact(ctx, func(tx tongban.Store) error { return tx.RecordUsesAndConsents(ctx, both(first), nil) }); err != nil {
			t.Fatalf("consents of two valid licences: %v", err)
		}
		if err := st.SetLicenseStatus(ctx, other.ID, tongban.LicenseRevoked, "吊销", t0); err != nil {
			t.Fatal(err)
		}
		err = st.Transact(ctx, func(tx tongban.Store) error { return tx.RecordUsesAndConsents(ctx, both(second), nil) })
		if !tongban.LicenceWithdrawn(err) {
			t.Fatalf("consents with one licence revoked = %v; want LicenceWithdrawn", err)
		}
		for _, lic := range []*tongban.License{l, &other} {
			if cs, err := st.LicenseConsents(ctx, lic.ID); err != nil || len(cs) != 1 || cs[0].CaseNumber != first {
				t.Errorf("licence %s's consents = %+v, %v; want the first case's only", lic.Identifier, cs, err)
			}
		}
	})
}
