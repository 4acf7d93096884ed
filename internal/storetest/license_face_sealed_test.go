package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// A face item holding a 公民身份号码 (a 社会保障卡's 社会保障号码) is sealed at
// rest: the face column keeps it masked, face_sealed holds it sealed, and
// reading the licence gives back the face exactly as signed, so its
// signature still verifies.
func TestLicenceFaceIDNumberSealed(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		seedRegionsAndOrgs(t, st)
		issuer := &tongban.Org{Code: "gaq-rsj", Name: "广安区人力资源和社会保障局", Kind: tongban.OrgDepartment,
			RegionCode: "511602000000", CreditCode: "11511600MB1A00047U"}
		if err := st.CreateOrg(ctx, issuer); err != nil {
			t.Fatal(err)
		}
		typ := &tongban.LicenseType{Code: "11100000000013127D001", Name: "社会保障卡", HolderKind: tongban.HolderPerson,
			ValidYears: 10, Fields: []tongban.LicenseField{{Key: "name", Name: "姓名"}, {Key: "social_security_no", Name: "社会保障号码"}}}
		if err := st.PutLicenseType(ctx, typ); err != nil {
			t.Fatal(err)
		}
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		const idNo = "11010519491231002X"
		day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: issuer.CreditCode, Serial: "20260000001", Version: 1}.String(),
			TypeCode: typ.Code, TypeName: typ.Name, Number: "511602202600000001", IssuerID: issuer.ID, IssuerName: issuer.Name,
			IssuerCode: issuer.CreditCode, IssuedOn: day, ValidFrom: day, ValidTo: day.AddDate(10, 0, -1), HolderID: u.ID, HolderName: "张三",
			HolderKind: tongban.HolderPerson, HolderCode: idNo, HolderCodeMasked: "1101**********002X", RegionCode: issuer.RegionCode,
			Status: tongban.LicenseValid, Version: 1, Face: map[string]string{"姓名": "张三", "社会保障号码": idNo}, CreatedAt: t0}
		if err := st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, l) }); err != nil {
			t.Fatal(err)
		}

		var face, sealed string
		if err := st.DB().QueryRowContext(ctx, `SELECT face, face_sealed FROM licenses WHERE id = $1`, l.ID).Scan(&face, &sealed); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(face, idNo) || strings.Contains(sealed, idNo) || sealed == "" {
			t.Fatalf("the ID number is stored in the clear: face %s, sealed %q", face, sealed)
		}
		if !strings.Contains(face, "1101**********002X") || !strings.Contains(face, "张三") {
			t.Fatalf("the face column should keep the other items and the masked number: %s", face)
		}

		for _, get := range []func() (*tongban.License, error){
			func() (*tongban.License, error) { return st.LicenseByIdentifier(ctx, l.Identifier) },
			func() (*tongban.License, error) {
				ls, err := st.LicensesOfHolder(ctx, u.ID)
				if err != nil || len(ls) != 1 {
					t.Fatalf("LicensesOfHolder: %d, %v", len(ls), err)
				}
				return ls[0], nil
			},
		} {
			back, err := get()
			if err != nil {
				t.Fatal(err)
			}
			if len(back.Face) != 2 || back.Face["社会保障号码"] != idNo || back.Face["姓名"] != "张三" {
				t.Fatalf("face read back: %v", back.Face)
			}
			v, err := license.Verify(ctx, st, back.Identifier, t0)
			if err != nil || v.Verdict != license.VerdictValid {
				t.Fatalf("the licence with a sealed face item no longer verifies: %+v, %v", v, err)
			}
		}

		// A face without an ID number seals nothing.
		plain := *l
		plain.ID, plain.Number = 0, "511602202600000002"
		plain.Identifier = license.Identifier{TypeCode: typ.Code, IssuerCode: issuer.CreditCode, Serial: "20260000002", Version: 1}.String()
		plain.Face = map[string]string{"姓名": "张三", "社会保障号码": "1234"}
		if err := st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, &plain) }); err != nil {
			t.Fatal(err)
		}
		if err := st.DB().QueryRowContext(ctx, `SELECT face_sealed FROM licenses WHERE id = $1`, plain.ID).Scan(&sealed); err != nil || sealed != "" {
			t.Fatalf("a face without an ID number: sealed %q, %v", sealed, err)
		}
	})
}
