package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// The console's list of an issuer's licences walks the primary key since the
// issuer index went (migration 00060): newest first, only that issuer's, at
// most the limit, other issuers' licences in between skipped.
func TestLicensesOfIssuerNewestFirst(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		seedRegionsAndOrgs(t, st)
		a := &tongban.Org{Code: "gas-zjj", Name: "广安市住房和城乡建设局", Kind: tongban.OrgDepartment,
			RegionCode: "511600000000", CreditCode: "11511600MB1A000116"}
		b := &tongban.Org{Code: "gas-other", Name: "广安市另一局", Kind: tongban.OrgDepartment,
			RegionCode: "511600000000", CreditCode: "11511600MB1A000129"}
		for _, o := range []*tongban.Org{a, b} {
			if err := st.CreateOrg(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		typ := &tongban.LicenseType{Code: "11100000000013338W011", Name: "建筑工程施工许可证", IssuerKind: "住房和城乡建设部门",
			HolderKind: tongban.HolderPerson, Fields: []tongban.LicenseField{{Key: "project", Name: "工程名称"}}}
		if err := st.PutLicenseType(ctx, typ); err != nil {
			t.Fatal(err)
		}
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		keys := map[int64]string{}
		for _, o := range []*tongban.Org{a, b} {
			k, err := license.NewSealKey(o.ID)
			if err != nil {
				t.Fatal(err)
			}
			k.CreatedAt = t0
			if err := st.CreateSealKey(ctx, k); err != nil {
				t.Fatal(err)
			}
			keys[o.ID] = k.ID
		}
		day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		var ofA []string // identifiers of a's licences, oldest first
		for i, o := range []*tongban.Org{a, b, a, b, a} {
			serial := fmt.Sprintf("2026%07d", i+1)
			l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: o.CreditCode, Serial: serial, Version: 1}.String(),
				TypeCode: typ.Code, TypeName: typ.Name, Number: "511600" + serial, IssuerID: o.ID, IssuerName: o.Name,
				IssuerCode: o.CreditCode, IssuedOn: day, ValidFrom: day, HolderID: u.ID, HolderName: "张三",
				HolderKind: tongban.HolderPerson, HolderCode: "11010519491231002X", HolderCodeMasked: "1101**********002X",
				RegionCode: "511600000000", Status: tongban.LicenseValid, Version: 1, Face: map[string]string{"工程名称": "一号楼"},
				KeyID: keys[o.ID], Signature: []byte{0x30, 0x01}, CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
			if err := st.CreateLicense(ctx, l); err != nil {
				t.Fatal(err)
			}
			if o == a {
				ofA = append(ofA, l.Identifier)
			}
		}
		got, err := st.LicensesOfIssuer(ctx, a.ID, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Identifier != ofA[2] || got[1].Identifier != ofA[1] {
			t.Fatalf("LicensesOfIssuer(a, 2) = %v; want %s, %s", licenceIdentifiers(got), ofA[2], ofA[1])
		}
		if all, err := st.LicensesOfIssuer(ctx, a.ID, 100); err != nil || len(all) != 3 || all[2].Identifier != ofA[0] {
			t.Fatalf("LicensesOfIssuer(a, 100) = %v, %v; want a's three, oldest last", licenceIdentifiers(all), err)
		}
	})
}

func licenceIdentifiers(ls []*tongban.License) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Identifier
	}
	return out
}
