package storetest

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

func TestLicensesRoundTrip(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		seedRegionsAndOrgs(t, st)
		issuer := &tongban.Org{Code: "gas-zjj", Name: "广安市住房和城乡建设局", Kind: tongban.OrgDepartment,
			RegionCode: "511600000000", CreditCode: "11511600MB1A000116"}
		if err := st.CreateOrg(ctx, issuer); err != nil {
			t.Fatal(err)
		}
		if o, err := st.Org(ctx, issuer.ID); err != nil || o.CreditCode != "11511600MB1A000116" {
			t.Fatalf("org credit code not kept: %+v, %v", o, err)
		}
		dup := &tongban.Org{Code: "gas-other", Name: "另一机构", Kind: tongban.OrgDepartment, RegionCode: "511600000000",
			CreditCode: "11511600MB1A000116"}
		if err := st.CreateOrg(ctx, dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("duplicate credit code: %v, want conflict", err)
		}
		bad := &tongban.Org{Code: "gas-bad", Name: "坏代码", Kind: tongban.OrgDepartment, RegionCode: "511600000000",
			CreditCode: "11511600MB1A000117"}
		if err := st.CreateOrg(ctx, bad); tongban.AsError(err).Field != "credit_code" {
			t.Fatalf("wrong check character accepted: %v", err)
		}

		typ := &tongban.LicenseType{Code: "11100000000013338W011", Name: "建筑工程施工许可证", IssuerKind: "住房和城乡建设部门",
			HolderKind: tongban.HolderOrg, Fields: []tongban.LicenseField{{Key: "project", Name: "工程名称", Required: true}}}
		if err := st.PutLicenseType(ctx, typ); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.LicenseTypeExists(ctx, typ.Code); !ok || err != nil {
			t.Fatalf("LicenseTypeExists = %v, %v", ok, err)
		}
		got, err := st.LicenseType(ctx, typ.Code)
		if err != nil || got.Name != typ.Name || len(got.Fields) != 1 || got.Fields[0].Name != "工程名称" {
			t.Fatalf("LicenseType = %+v, %v", got, err)
		}
		if _, err := st.LicenseType(ctx, "11100000000013338W999"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("unknown type: %v", err)
		}

		// Serials count per issuer and year, and each is handed out once.
		for want := int64(1); want <= 3; want++ {
			if n, err := st.NextLicenseSerial(ctx, issuer.ID, 2026); err != nil || n != want {
				t.Fatalf("serial = %d, %v; want %d", n, err, want)
			}
		}
		if n, _ := st.NextLicenseSerial(ctx, issuer.ID, 2027); n != 1 {
			t.Fatalf("a new year starts at %d", n)
		}

		key, err := license.NewSealKey(issuer.ID)
		if err != nil {
			t.Fatal(err)
		}
		key.CreatedAt = t0
		if err := st.CreateSealKey(ctx, key); err != nil {
			t.Fatal(err)
		}
		back, err := st.SealKeyOf(ctx, issuer.ID)
		if err != nil || back.ID != key.ID || string(back.PrivateDER) != string(key.PrivateDER) {
			t.Fatalf("seal key round trip: %v", err)
		}
		// The private half is not stored in the clear.
		var sealed string
		if err := st.DB().QueryRowContext(ctx, `SELECT private_sealed FROM seal_keys WHERE id = $1`, key.ID).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		if sealed == "" || strings.Contains(sealed, base64.StdEncoding.EncodeToString(key.PrivateDER)) {
			t.Fatal("private key stored in the clear")
		}

		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: issuer.CreditCode, Serial: "20260000001", Version: 1}.String(),
			TypeCode: typ.Code, TypeName: typ.Name, Number: "511600202603020101", IssuerID: issuer.ID, IssuerName: issuer.Name,
			IssuerCode: issuer.CreditCode, IssuedOn: day, ValidFrom: day, ValidTo: day.AddDate(5, 0, 0), HolderID: u.ID, HolderName: "张三",
			HolderKind: tongban.HolderPerson, HolderCode: "11010519491231002X", HolderCodeMasked: "1101**********002X",
			RegionCode: "511600000000", Status: tongban.LicenseValid, Version: 1, Face: map[string]string{"工程名称": "一号楼"},
			KeyID: key.ID, Signature: []byte{0x30, 0x01}, CreatedAt: t0}
		if err := st.CreateLicense(ctx, l); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateLicense(ctx, l); !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("duplicate identifier: %v", err)
		}
		r, err := st.LicenseByIdentifier(ctx, l.Identifier)
		if err != nil {
			t.Fatal(err)
		}
		if r.HolderCode != l.HolderCode || !r.ValidTo.Equal(l.ValidTo) || !r.IssuedOn.Equal(day) || r.Face["工程名称"] != "一号楼" ||
			string(r.Signature) != string(l.Signature) || r.IssuerCode != issuer.CreditCode || r.Status != tongban.LicenseValid {
			t.Fatalf("licence round trip:\n got %+v\nwant %+v", r, l)
		}
		var holderSealed string
		st.DB().QueryRowContext(ctx, `SELECT holder_code_sealed FROM licenses WHERE id = $1`, l.ID).Scan(&holderSealed)
		if holderSealed == "" || strings.Contains(holderSealed, l.HolderCode) {
			t.Fatal("holder's ID number stored in the clear")
		}
		mine, err := st.LicensesOfHolder(ctx, u.ID)
		if err != nil || len(mine) != 1 || mine[0].Identifier != l.Identifier {
			t.Fatalf("LicensesOfHolder = %d, %v", len(mine), err)
		}
		if _, err := st.LicenseByIdentifier(ctx, "1.2.156.3005.2.x"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("unknown licence: %v", err)
		}

		// A licence signed by a key retired meanwhile (a rotation) is
		// refused, and nothing of it is stored.
		if err := st.RetireSealKey(ctx, key.ID, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		late := *l
		late.ID, late.Number = 0, "511600202603020102"
		late.Identifier = license.Identifier{TypeCode: typ.Code, IssuerCode: issuer.CreditCode, Serial: "20260000002", Version: 1}.String()
		err = st.Transact(ctx, func(tx tongban.Store) error { return tx.CreateLicense(ctx, &late) })
		if !tongban.SealKeyRetired(err) {
			t.Fatalf("a licence signed by a retired key: %v, want refused on key_id", err)
		}
		if _, err := st.LicenseByIdentifier(ctx, late.Identifier); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("the refused licence was stored: %v", err)
		}
	})
}
