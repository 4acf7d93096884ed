package storetest

import (
	"context"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestCaseInsertWhileListingCurrent: with CaseRecords.ListingCurrent, a
// case is stored only while its listing version is the current one and its
// item name the item's; otherwise nothing is (ListingMoved), its 用证
// consents and data-use records included.
func TestCaseInsertWhileListingCurrent(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		lic, u := storedLicence(t, st)
		dept, err := st.OrgByCode(ctx, "gaq-scjgj")
		if err != nil {
			t.Fatal(err)
		}
		it := sampleItem()
		if err := st.CreateItem(ctx, it); err != nil {
			t.Fatal(err)
		}
		l := sampleListing(it, dept)
		if err := st.CreateListing(ctx, l); err != nil {
			t.Fatal(err)
		}
		caseOf := func(number string, version int, itemName string) *tongban.Case {
			c := newCase(dept, u, number, number)
			c.ListingID, c.ListingVersion, c.ItemName = l.ID, version, itemName
			return c
		}
		current := func(c *tongban.Case, withRecords bool) error {
			rec := tongban.CaseRecords{ListingCurrent: true}
			if withRecords {
				rec.Consents, rec.Uses = licenceConsent(lic, u, c.Number), licenceUse(lic, u, dept, c.Number)
			}
			return st.Transact(ctx, func(tx tongban.Store) error { return tx.CreateCaseRecording(ctx, c, rec) })
		}
		stored := func(number string) bool {
			_, err := st.CaseByNumber(ctx, number)
			if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
				t.Fatal(err)
			}
			return err == nil
		}

		const first = "511602000000-20260302-000001"
		if c := caseOf(first, 1, it.Name); current(c, false) != nil || c.ID == 0 || !stored(first) {
			t.Fatalf("a case under the current version: id %d, stored %v", c.ID, stored(first))
		}
		const withRecords = "511602000000-20260302-000002"
		if err := current(caseOf(withRecords, 1, it.Name), true); err != nil || !stored(withRecords) {
			t.Fatalf("a case with its records under the current version: %v", err)
		}

		// A new version of the listing (a suspension, say).
		got, err := st.Listing(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Status = tongban.ListingSuspended
		if err := st.UpdateListing(ctx, got); err != nil || got.Version != 2 {
			t.Fatalf("UpdateListing: version %d, %v", got.Version, err)
		}
		refused := map[string]*tongban.Case{
			"version 1 after version 2":         caseOf("511602000000-20260302-000003", 1, it.Name),
			"version 1 with its records":        caseOf("511602000000-20260302-000004", 1, it.Name),
			"the current version, another name": caseOf("511602000000-20260302-000005", 2, "食品经营许可证核发（旧称）"),
		}
		for name, c := range refused {
			err := current(c, name == "version 1 with its records")
			if !tongban.ListingMoved(err) || c.ID != 0 {
				t.Errorf("%s: %v, id %d; want ListingMoved and no id", name, err, c.ID)
			}
			if stored(c.Number) {
				t.Errorf("%s: the case was stored", name)
			}
		}
		consents, err := st.LicenseConsents(ctx, lic.ID)
		if err != nil || len(consents) != 1 || consents[0].CaseNumber != withRecords {
			t.Errorf("consents = %+v, %v; want the one stored case's only", consents, err)
		}
		uses, err := st.DataUses(ctx, u.ID, 10, 0)
		if err != nil || len(uses) != 1 || uses[0].CaseNumber != withRecords {
			t.Errorf("data uses = %+v, %v; want the one stored case's only", uses, err)
		}

		// Without ListingCurrent a case names whatever version it is given
		// (an application may name the version its applicant read).
		old := caseOf("511602000000-20260302-000006", 1, it.Name)
		if err := st.CreateCaseRecording(ctx, old, tongban.CaseRecords{}); err != nil || !stored(old.Number) {
			t.Errorf("an unchecked case under version 1: %v", err)
		}
		// And the current version with the item's name is stored.
		if c := caseOf("511602000000-20260302-000007", 2, it.Name); current(c, true) != nil || !stored(c.Number) {
			t.Errorf("a case under version 2 was not stored")
		}
	})
}
