package license_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestFounderIssueMakesTheNewEnterpriseTheHolder: a person applying for an
// organisation's licence (企业设立登记 → 营业执照) is its founder. Without
// a valid 统一社会信用代码 on the face the issue is refused naming
// face.credit_code, and nobody is recorded; with one, the enterprise is
// recorded without a password (audited), its legal representative and
// phone the founder's, and holds the licence; when the founder registers
// the enterprise it claims the record and the licence is in its wallet. A
// code that is a registered enterprise's is refused; a type whose face
// names no credit code is still not issued to a person.
func TestFounderIssueMakesTheNewEnterpriseTheHolder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		bizType := &tongban.LicenseType{Code: "11100000MB0143028R001", Name: "营业执照", HolderKind: tongban.HolderOrg,
			Fields: []tongban.LicenseField{{Key: "credit_code", Name: "统一社会信用代码", Required: true},
				{Key: "entity_name", Name: "名称", Required: true}, {Key: "legal_rep", Name: "法定代表人", Required: true},
				{Key: "address", Name: "住所", Required: true}}}
		w.must(w.st.PutLicenseType(w.ctx, bizType))
		id, err := tongban.ParseIDNumber("11010519491231002X")
		w.must(err)
		phone, err := tongban.ParsePhone("13912345678")
		w.must(err)
		founder := w.user(&tongban.User{Kind: tongban.UserCitizen, Name: "王五", IDNumber: id, Phone: phone})
		const code = "91511621MA6C2YTR25"
		issue := func(typ *tongban.LicenseType, face map[string]string) (*tongban.License, error) {
			c := &tongban.Case{Number: "511600000000-20260302-000001", OrgID: w.scjg.ID, RegionCode: "511600000000", ApplicantID: founder.ID}
			l := &tongban.Listing{Result: tongban.Result{Name: typ.Name, Type: tongban.ResultLicense, LicenseType: typ.Code}}
			var out *tongban.License
			err := w.st.Transact(w.ctx, func(tx tongban.Store) (err error) {
				out, err = license.NewIssuer().Issue(w.ctx, tx, license.IssueRequest{Case: c, Listing: l, Applicant: founder, Now: w.clock.Now(), Face: face})
				return err
			})
			return out, err
		}
		face := func(code string) map[string]string {
			return map[string]string{"统一社会信用代码": code, "名称": "广安市岳池米粉店有限公司", "法定代表人": "王五", "住所": "岳池县九龙镇东街8号"}
		}
		refused := func(what string, err error, field string, words ...string) {
			t.Helper()
			e := tongban.AsError(err)
			if !tongban.IsCode(err, tongban.EInvalid) || e.Field != field {
				t.Fatalf("%s: %v (field %q), want EInvalid naming %s", what, err, e.Field, field)
			}
			for _, s := range words {
				if !strings.Contains(e.Message, s) {
					t.Errorf("%s: message %q lacks %q", what, e.Message, s)
				}
			}
			if _, err := w.st.UserByLogin(w.ctx, code); !tongban.IsCode(err, tongban.ENotFound) {
				t.Fatalf("%s: the enterprise was recorded: %v", what, err)
			}
		}
		_, err = issue(bizType, face(""))
		refused("no credit code on the face", err, "face.credit_code", "统一社会信用代码")
		_, err = issue(bizType, face(code[:17]+"X"))
		refused("a wrong check character", err, "face.credit_code", "统一社会信用代码")
		_, err = issue(w.foodType, map[string]string{"经营者名称": "广安市岳池米粉店有限公司", "经营场所": "岳池县"})
		refused("a type whose face names no credit code", err, "holder", "持证主体应为法人")
		_, err = issue(bizType, face(string(w.firm.CreditCode)))
		refused("a registered enterprise's code", err, "face.credit_code", "已是注册企业")

		lic, err := issue(bizType, face(code))
		w.must(err)
		ent, err := w.st.UserByLogin(w.ctx, code)
		w.must(err)
		if ent.Kind != tongban.UserEnterprise || ent.Name != "广安市岳池米粉店有限公司" || identity.Registered(ent) ||
			ent.LegalRepName != "王五" || ent.LegalRepID != id || ent.Phone != phone {
			t.Fatalf("enterprise record %+v", ent)
		}
		if lic.HolderID != ent.ID || lic.HolderKind != tongban.HolderOrg || lic.HolderCode != code || lic.HolderName != ent.Name {
			t.Fatalf("licence holder: %d %s %s %s", lic.HolderID, lic.HolderKind, lic.HolderCode, lic.HolderName)
		}
		if v := w.verify(lic.Identifier); v.Verdict != license.VerdictValid {
			t.Fatalf("the founder's licence verifies as %+v", v)
		}
		if mine, _ := w.st.LicensesOfHolder(w.ctx, founder.ID); len(mine) != 0 {
			t.Fatalf("the founder holds %d licences", len(mine))
		}
		if !w.audited(identity.AuditWalkInRecord, "user:"+itoa(ent.ID)) {
			t.Fatal("the enterprise record is not audited")
		}
		// A second licence naming the same code finds the record.
		again, err := issue(bizType, face(code))
		w.must(err)
		if again.HolderID != ent.ID {
			t.Fatalf("a second issue made holder %d, not the record %d", again.HolderID, ent.ID)
		}

		// The founder registers the enterprise: the record is claimed and
		// its licences are in the wallet.
		ids := identity.New(w.st, w.clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
		ids.Argon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}
		u, err := ids.RegisterEnterprise(w.ctx, identity.EnterpriseRegistration{Name: "广安市岳池米粉店有限公司", CreditCode: code,
			LegalRepName: "王五", LegalRepID: string(id), Phone: "13912345678", Password: "Ww@2026password",
			AcceptedAgreements: identity.AgreementsVersion}, identity.Request{})
		w.must(err)
		if u.ID != ent.ID {
			t.Fatalf("registration made account %d, not the record %d", u.ID, ent.ID)
		}
		if held, _ := w.st.LicensesOfHolder(w.ctx, u.ID); len(held) != 2 {
			t.Fatalf("the registered enterprise holds %d licences, want 2", len(held))
		}
	})
}
