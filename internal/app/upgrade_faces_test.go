package app_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/atrest"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// TestUpgradeSealsPlainLicenceFaces: a licence face stored before migration
// 00026 holds a person's ID number in the clear in licenses.face. The next
// start seals it (face_sealed, the face keeps it masked): the licence reads
// back whole and still verifies, no plain ID number is left in the table
// (nor, on SQLite, in the data directory's files), a face with nothing
// personal is left as it was, and a second pass has nothing to do.
func TestUpgradeSealsPlainLicenceFaces(t *testing.T) {
	const holderID = "11010519491231002X" // a valid 公民身份号码: the store seals only those
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx, dir := context.Background(), t.TempDir()
		cfg := app.Config{DataDir: dir, Secret: strings.Repeat("5a", 32)}
		if d == sqldb.Postgres {
			cfg.DB = storetest.CreatePostgresDB(t)
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		open := func() *app.App {
			a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		a := open()
		st := a.Store
		for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}} {
			must(st.CreateRegion(ctx, &r))
		}
		org := &tongban.Org{Code: "gas-rsj", Name: "广安市人力资源和社会保障局", Kind: tongban.OrgDepartment,
			RegionCode: "511600000000", CreditCode: "11511600MB1A00047U"}
		must(st.CreateOrg(ctx, org))
		id, err := tongban.ParseIDNumber(holderID)
		must(err)
		holder := &tongban.User{Kind: tongban.UserCitizen, Name: memberName, IDNumber: id, PasswordHash: "h", CreatedAt: time.Now()}
		must(st.CreateUser(ctx, holder))
		typ := &tongban.LicenseType{Code: "11100000000013127D001", Name: "社会保障卡", HolderKind: tongban.HolderPerson, ValidYears: 10,
			Fields: []tongban.LicenseField{{Key: "name", Name: "姓名", Required: true}, {Key: "social_security_no", Name: "社会保障号码"}}}
		must(st.PutLicenseType(ctx, typ))
		day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		store := func(serial string, face map[string]string) *tongban.License {
			l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: org.CreditCode, Serial: serial, Version: 1}.String(),
				TypeCode: typ.Code, TypeName: typ.Name, Number: "511600" + serial, IssuerID: org.ID, IssuerName: org.Name,
				IssuerCode: org.CreditCode, IssuedOn: day, ValidFrom: day, HolderID: holder.ID, HolderName: holder.Name,
				HolderKind: tongban.HolderPerson, HolderCode: id.Reveal(), HolderCodeMasked: id.Masked(), RegionCode: org.RegionCode,
				Status: tongban.LicenseValid, Version: 1, Face: face, CreatedAt: time.Now()}
			must(st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, l) }))
			return l
		}
		card := store("20260000001", map[string]string{"姓名": memberName, "社会保障号码": holderID})
		plain := store("20260000002", map[string]string{"姓名": memberName})
		var clearFace string
		must(a.DB.QueryRowContext(ctx, `SELECT face FROM licenses WHERE id = $1`, plain.ID).Scan(&clearFace))
		// As the code before 00026 stored them, marked by 00031.
		oldFace := `{"姓名":"` + memberName + `","社会保障号码":"` + holderID + `"}`
		_, err = a.DB.ExecContext(ctx, `UPDATE licenses SET face = $1, face_sealed = '', face_unchecked = TRUE WHERE id = $2`, oldFace, card.ID)
		must(err)
		_, err = a.DB.ExecContext(ctx, `UPDATE licenses SET face_unchecked = TRUE WHERE id = $1`, plain.ID)
		must(err)
		a.Close()

		a = open()
		defer a.Close()
		var face, sealed string
		var unchecked bool
		must(a.DB.QueryRowContext(ctx, `SELECT face, face_sealed, face_unchecked FROM licenses WHERE id = $1`, card.ID).Scan(&face, &sealed, &unchecked))
		if strings.Contains(face, holderID) || !strings.Contains(face, id.Masked()) || sealed == "" || strings.Contains(sealed, holderID) || unchecked {
			t.Fatalf("the old face after start-up: face %s, sealed %q, unchecked %v", face, sealed, unchecked)
		}
		var left int
		must(a.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM licenses WHERE face LIKE $1 OR face_sealed LIKE $1`, "%"+holderID+"%").Scan(&left))
		if left != 0 {
			t.Fatalf("%d licences hold the ID number in the clear", left)
		}
		got, err := a.Store.LicenseByIdentifier(ctx, card.Identifier)
		must(err)
		if got.Face["社会保障号码"] != holderID || got.Face["姓名"] != memberName {
			t.Fatalf("the face reads back as %v", got.Face)
		}
		if v, err := license.Verify(ctx, a.Store, card.Identifier, time.Now()); err != nil || v.Verdict != license.VerdictValid {
			t.Fatalf("the sealed licence verifies as %+v, %v", v, err)
		}
		must(a.DB.QueryRowContext(ctx, `SELECT face, face_sealed, face_unchecked FROM licenses WHERE id = $1`, plain.ID).Scan(&face, &sealed, &unchecked))
		if face != clearFace || sealed != "" || unchecked {
			t.Fatalf("a face with nothing personal: %s, %q, %v", face, sealed, unchecked)
		}
		if n, err := atrest.SealFaces(ctx, a.Store); err != nil || n != 0 {
			t.Fatalf("a second pass sealed %d (%v)", n, err)
		}
		if d == sqldb.SQLite {
			scanDataDir(t, dir, []string{holderID})
		}
	})
}
