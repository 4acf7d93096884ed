package license_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestLicenceImportRecordsHoldersWithoutAccounts: a licence whose holder has
// no Tongban account is imported with a record of the holder as a window
// records a walk-in (no password, audited), inside the import: a refused
// file records nobody. When the person registers with the same ID number
// (and the phone on the record) they find the licence under their account;
// an enterprise's record takes its legal representative from the face.
func TestLicenceImportRecordsHoldersWithoutAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		const liID = "11010519491231002X"
		card := license.ImportRow{TypeCode: "11100000000013127D001", Number: "SB511600A0002", HolderName: "李四",
			HolderCode: liID, HolderPhone: "13912345678", IssuedOn: "2019-09-01", ValidTo: "2029-08-31",
			Face: map[string]string{"姓名": "李四"}}
		firm := foodRow("JY9")
		firm.HolderName, firm.HolderCode = "广安市岳池米粉店有限公司", "91511621MA6C2YTR25"
		firm.Face["经营者名称"] = "广安市岳池米粉店有限公司"
		if _, err := tongban.ParseCreditCode(firm.HolderCode); err != nil {
			t.Fatalf("test credit code: %v", err)
		}
		legalRep := &tongban.LicenseType{Code: w.foodType.Code, Name: w.foodType.Name, HolderKind: tongban.HolderOrg, ValidYears: 5,
			Fields: append(append([]tongban.LicenseField(nil), w.foodType.Fields...), tongban.LicenseField{Key: "legal_rep", Name: "法定代表人（负责人）"})}
		w.must(w.st.PutLicenseType(w.ctx, legalRep))
		firm.Face["法定代表人（负责人）"] = "王五"

		// A bad row elsewhere in the file: nothing, and nobody, is recorded.
		bad := foodRow("JY10")
		bad.IssuedOn = "bad"
		if _, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{card, firm, bad}); !tongban.IsCode(err, tongban.EInvalid) {
			t.Fatalf("a file with a bad row: %v", err)
		}
		if _, err := w.st.UserByIDNumber(w.ctx, tongban.IDNumber(liID)); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("a refused import recorded the holder: %v", err)
		}

		res, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{card, firm})
		w.must(err)
		if res.Imported != 2 {
			t.Fatalf("imported %d", res.Imported)
		}
		li, err := w.st.UserByIDNumber(w.ctx, tongban.IDNumber(liID))
		w.must(err)
		if li.Kind != tongban.UserCitizen || li.Name != "李四" || identity.Registered(li) || li.Phone.Reveal() != "13912345678" {
			t.Fatalf("holder record %+v", li)
		}
		ent, err := w.st.UserByLogin(w.ctx, firm.HolderCode)
		w.must(err)
		if ent.Kind != tongban.UserEnterprise || ent.Name != firm.HolderName || ent.LegalRepName != "王五" || identity.Registered(ent) {
			t.Fatalf("enterprise record %+v", ent)
		}
		if !w.audited(identity.AuditWalkInRecord, "user:"+itoa(li.ID)) || !w.audited(identity.AuditWalkInRecord, "user:"+itoa(ent.ID)) {
			t.Fatal("the holder records are not audited")
		}
		// A second file for the same holder finds the record.
		again := card
		again.Number = "SB511600A0003"
		_, err = w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{again})
		w.must(err)

		ids := identity.New(w.st, w.clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ids.Argon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}
		u, err := ids.RegisterCitizen(w.ctx, identity.CitizenRegistration{Name: "李四", IDNumber: liID, Phone: "13912345678",
			Password: "Ls@2026password", AcceptedAgreements: identity.AgreementsVersion}, identity.Request{})
		w.must(err)
		if u.ID != li.ID {
			t.Fatalf("registration made account %d, not the record %d", u.ID, li.ID)
		}
		mine, err := w.st.LicensesOfHolder(w.ctx, u.ID)
		w.must(err)
		if len(mine) != 2 || mine[0].HolderCode != liID || mine[0].TypeName != "社会保障卡" {
			t.Fatalf("the registered person's licences: %d", len(mine))
		}
	})
}
