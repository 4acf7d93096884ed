package license_test

import (
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
)

// TestIndividualVendorHoldsTheFoodLicence: a person applying for a
// 食品经营许可证 whose face's 社会信用代码（身份证号码） is their own
// 居民身份证号码 is an individual vendor: the licence is theirs (holder
// kind 自然人, code their ID number), in their wallet, signed and
// verifying; the number is sealed at rest in the holder column and the
// face, and masked where the verify page shows the face. Someone else's
// number, or one that is neither a valid ID number nor a credit code, is
// refused naming face.credit_code, and nothing is issued.
func TestIndividualVendorHoldsTheFoodLicence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		const codeName = "社会信用代码（身份证号码）"
		food := &tongban.LicenseType{Code: "11100000MB0143028R012", Name: "食品经营许可证", HolderKind: tongban.HolderOrg, ValidYears: 5,
			Fields: []tongban.LicenseField{{Key: "entity_name", Name: "经营者名称", Required: true},
				{Key: "credit_code", Name: codeName, Required: true}, {Key: "legal_rep", Name: "法定代表人（负责人）", Required: true},
				{Key: "premises", Name: "经营场所", Required: true}}}
		w.must(w.st.PutLicenseType(w.ctx, food))
		id, err := tongban.ParseIDNumber("11010519491231002X")
		w.must(err)
		vendor := w.user(&tongban.User{Kind: tongban.UserCitizen, Name: "赵六", IDNumber: id})
		issue := func(code string) (*tongban.License, error) {
			c := &tongban.Case{Number: "511600000000-20260302-000009", OrgID: w.scjg.ID, RegionCode: "511600000000", ApplicantID: vendor.ID}
			l := &tongban.Listing{Result: tongban.Result{Name: food.Name, Type: tongban.ResultLicense, LicenseType: food.Code}}
			face := map[string]string{"经营者名称": "岳池县赵六米粉店", codeName: code, "法定代表人（负责人）": "赵六", "经营场所": "岳池县九龙镇东街9号"}
			var out *tongban.License
			err := w.st.Transact(w.ctx, func(tx tongban.Store) (err error) {
				out, err = license.NewIssuer().Issue(w.ctx, tx, license.IssueRequest{Case: c, Listing: l, Applicant: vendor, Now: w.clock.Now(), Face: face})
				return err
			})
			return out, err
		}
		for what, code := range map[string]string{
			"someone else's ID number":        "110105198001010016",
			"a wrong check character":         "110105194912310021",
			"neither an ID nor a credit code": "岳池县赵六",
		} {
			_, err := issue(code)
			if e := tongban.AsError(err); !tongban.IsCode(err, tongban.EInvalid) || e.Field != "face.credit_code" || !strings.Contains(e.Message, codeName) {
				t.Fatalf("%s: %v (field %q), want EInvalid naming face.credit_code", what, err, e.Field)
			}
			if held, _ := w.st.LicensesOfHolder(w.ctx, vendor.ID); len(held) != 0 {
				t.Fatalf("%s: a licence was issued", what)
			}
		}

		lic, err := issue(strings.ToLower(string(id)))
		w.must(err)
		if lic.HolderKind != tongban.HolderPerson || lic.HolderID != vendor.ID || lic.HolderCode != string(id) ||
			lic.HolderCodeMasked != id.Masked() || lic.HolderName != "赵六" || lic.Face[codeName] != string(id) {
			t.Fatalf("vendor's licence: %+v", lic)
		}
		held, err := w.st.LicensesOfHolder(w.ctx, vendor.ID)
		if err != nil || len(held) != 1 || held[0].Identifier != lic.Identifier {
			t.Fatalf("wallet: %d licences, %v", len(held), err)
		}
		v, err := license.VerifyLicense(w.ctx, w.st, held[0], w.clock.Now())
		w.must(err)
		if v.Verdict != license.VerdictValid {
			t.Fatalf("verdict %s", v.Verdict)
		}
		var row string
		w.must(w.st.(*store.Store).DB().QueryRowContext(w.ctx, `SELECT holder_code_sealed || '|' || holder_code_masked || '|' || face || '|' || face_sealed
			FROM licenses WHERE id = $1`, lic.ID).Scan(&row))
		if strings.Contains(row, string(id)) {
			t.Fatalf("the vendor's ID number is stored in the clear: %s", row)
		}
		for _, it := range license.PublicFace(held[0]) {
			if strings.Contains(it.Value, string(id)) {
				t.Fatalf("the verify page's face shows the ID number: %+v", it)
			}
		}
	})
}
