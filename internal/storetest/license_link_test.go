package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
)

// storedLicence stores a signed licence of 张三's, issued by a new org.
func storedLicence(t *testing.T, st tongban.Store) (*tongban.License, *tongban.User) {
	t.Helper()
	ctx := context.Background()
	seedRegionsAndOrgs(t, st)
	issuer := &tongban.Org{Code: "gas-scjg-face", Name: "广安市市场监督管理局", Kind: tongban.OrgDepartment,
		RegionCode: "511600000000", CreditCode: "11511600MB1A000116"}
	typ := &tongban.LicenseType{Code: "11100000MB0143028R002", Name: "食品经营许可证", HolderKind: tongban.HolderPerson,
		Fields: []tongban.LicenseField{{Key: "name", Name: "经营者名称"}}}
	u := citizen(t)
	for _, err := range []error{st.CreateOrg(ctx, issuer), st.PutLicenseType(ctx, typ), st.CreateUser(ctx, u)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: issuer.CreditCode, Serial: "20260000001", Version: 1}.String(),
		TypeCode: typ.Code, TypeName: typ.Name, Number: "511600202600000001", IssuerID: issuer.ID, IssuerName: issuer.Name,
		IssuerCode: issuer.CreditCode, IssuedOn: day, ValidFrom: day, ValidTo: day.AddDate(5, 0, -1), HolderID: u.ID, HolderName: "张三",
		HolderKind: tongban.HolderPerson, HolderCode: "11010519491231002X", HolderCodeMasked: "1101**********002X",
		RegionCode: "511600000000", Status: tongban.LicenseValid, Version: 1, Face: map[string]string{"经营者名称": "张三"}, CreatedAt: t0}
	if err := st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, l) }); err != nil {
		t.Fatal(err)
	}
	return l, u
}

// TestLicenseLinksVisitsConsents: a licence has one face link however
// often it is asked for; share links list newest first, are withdrawn
// once; visits and 用证 consents come back newest first; tokens are
// 128-bit and unguessable in form.
func TestLicenseLinksVisitsConsents(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, u := storedLicence(t, st)

		face, err := license.FaceLinkOf(ctx, st, l, t0)
		if err != nil {
			t.Fatal(err)
		}
		again, err := license.FaceLinkOf(ctx, st, l, t0.Add(time.Hour))
		if err != nil || again.Token != face.Token || again.ID != face.ID || again.Identifier != l.Identifier {
			t.Fatalf("face link not kept: %+v vs %+v, %v", again, face, err)
		}
		if len(face.Token) != 26 {
			t.Fatalf("token %q is not 26 base32 characters (128 bits)", face.Token)
		}
		// A second face link for the same licence is refused by the store.
		dup := &tongban.LicenseLink{Token: "aaaaaaaaaaaaaaaaaaaaaaaaaa", LicenseID: l.ID, Kind: tongban.LinkFace, CreatedAt: t0}
		if err := st.CreateLicenseLink(ctx, dup); !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("second face link: %v", err)
		}

		now := time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC) // 10:00 in China
		s1, err := license.Share(ctx, st, u, l, license.ShareRequest{Purpose: "办理食品经营许可证延续", Until: "2026-03-31"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if s1.Purpose != "食品经营许可证延续" || license.Annotation(s1) != "仅供办理食品经营许可证延续使用，有效期至2026年3月31日" ||
			!s1.ExpiresAt.Equal(time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC)) {
			t.Fatalf("share: %+v %q", s1, license.Annotation(s1))
		}
		s2, err := license.Share(ctx, st, u, l, license.ShareRequest{Purpose: "银行开户", Until: "2026-03-05"}, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		shares, err := st.ShareLinks(ctx, l.ID)
		if err != nil || len(shares) != 2 || shares[0].ID != s2.ID || shares[1].Token != s1.Token || !shares[1].ExpiresAt.Equal(s1.ExpiresAt) {
			t.Fatalf("share links: %d %v", len(shares), err)
		}
		for name, q := range map[string]license.ShareRequest{
			"purpose": {Purpose: "  ", Until: "2026-03-31"},
			"until":   {Purpose: "开户", Until: "2026-03-04"},
		} {
			if _, err := license.Share(ctx, st, u, l, q, now); tongban.AsError(err).Field != name {
				t.Errorf("bad %s accepted or wrong error: %v", name, err)
			}
		}
		if _, err := license.Share(ctx, st, u, l, license.ShareRequest{Purpose: "开户", Until: "2027-04-01"}, now); tongban.AsError(err).Field != "until" {
			t.Errorf("a share past a year: %v", err)
		}
		other := &tongban.User{ID: u.ID + 1000}
		if _, err := license.Share(ctx, st, other, l, license.ShareRequest{Purpose: "开户", Until: "2026-03-31"}, now); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("someone else shared the licence: %v", err)
		}

		// Following the links: each visit recorded with what it showed.
		v, err := license.OpenLink(ctx, st, st, face.Token, now)
		if err != nil || v.Verification == nil || v.Verification.Verdict != license.VerdictValid || len(v.Face) != 0 {
			t.Fatalf("face link: %+v, %v", v, err)
		}
		v, err = license.OpenLink(ctx, st, st, s1.Token, now)
		if err != nil || v.Refused != "" || len(v.Face) != 1 || v.Face[0].Value != "张三" {
			t.Fatalf("share link: %+v, %v", v, err)
		}
		// s2's last day is 2026-03-05 (China): it opens that day, not the next.
		if v, _ = license.OpenLink(ctx, st, st, s2.Token, time.Date(2026, 3, 5, 15, 59, 0, 0, time.UTC)); v.Refused != "" {
			t.Fatalf("share refused on its last day: %s", v.Refused)
		}
		if v, _ = license.OpenLink(ctx, st, st, s2.Token, time.Date(2026, 3, 5, 16, 0, 0, 0, time.UTC)); v.Refused == "" || v.Face != nil {
			t.Fatalf("expired share opened: %+v", v)
		}
		if err := st.RevokeShareLink(ctx, l.ID, s1.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeShareLink(ctx, l.ID, s1.ID, now); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("second withdrawal: %v", err)
		}
		if err := st.RevokeShareLink(ctx, l.ID, face.ID, now); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("the face link withdrawn as a share: %v", err)
		}
		if v, _ = license.OpenLink(ctx, st, st, s1.Token, now.Add(time.Minute)); v.Refused == "" {
			t.Fatal("withdrawn share opened")
		}
		for _, bad := range []string{"", "nope", face.Token[:25] + "1", "bbbbbbbbbbbbbbbbbbbbbbbbbb"} {
			if _, err := license.OpenLink(ctx, st, st, bad, now); !tongban.IsCode(err, tongban.ENotFound) {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		visits, err := st.LicenseVisits(ctx, l.ID, 100)
		if err != nil || len(visits) != 5 {
			t.Fatalf("visits: %d, %v", len(visits), err)
		}
		// Newest first by when they happened: s2 late on the 5th, then the withdrawn s1, then the first two.
		want := []string{license.OutcomeShareExpired, license.VerdictValid, license.OutcomeShareRevoked, license.VerdictValid, license.VerdictValid}
		for i, w := range want {
			if visits[i].Outcome != w {
				t.Errorf("visit %d: %s, want %s", i, visits[i].Outcome, w)
			}
		}

		c1 := &tongban.LicenseConsent{LicenseID: l.ID, Identifier: l.Identifier, Version: 1, HolderID: u.ID, CaseNumber: "511600000000-20260305-000001",
			Reason: "办理食品经营许可证延续", GivenBy: u.ID, CreatedAt: now}
		c2 := *c1
		c2.CaseNumber, c2.GivenBy, c2.CreatedAt = "511600000000-20260305-000002", 0, now.Add(time.Hour)
		for _, c := range []*tongban.LicenseConsent{c1, &c2} {
			if err := st.CreateLicenseConsent(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		cs, err := st.LicenseConsents(ctx, l.ID)
		if err != nil || len(cs) != 2 || cs[0].CaseNumber != c2.CaseNumber || cs[1].Reason != c1.Reason || cs[1].GivenBy != u.ID ||
			!cs[1].CreatedAt.Equal(now) || cs[0].Version != 1 {
			t.Fatalf("consents: %+v, %v", cs, err)
		}
	})
}

// TestLicenseLinkWithLicense: the verify page's one read gives the link and
// its licence as the two separate reads do (the licence's sealed holder
// code and face opened), and with the address's misses counted as
// Failures counts them; an unknown token is ENotFound.
func TestLicenseLinkWithLicense(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		l, _ := storedLicence(t, st)
		link, err := license.FaceLinkOf(ctx, st, l, t0)
		if err != nil {
			t.Fatal(err)
		}
		k, got, err := st.LicenseLinkWithLicense(ctx, link.Token)
		if err != nil {
			t.Fatal(err)
		}
		wantLink, err := st.LicenseLinkByToken(ctx, link.Token)
		if err != nil {
			t.Fatal(err)
		}
		want, err := st.LicenseByIdentifier(ctx, l.Identifier)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(k, wantLink) {
			t.Errorf("link %+v, want %+v", k, wantLink)
		}
		if !reflect.DeepEqual(got, want) || got.HolderCode == "" || len(got.Face) == 0 {
			t.Errorf("licence %+v, want %+v", got, want)
		}
		if _, _, err := st.LicenseLinkWithLicense(ctx, "abcdefghijklmnopqrstuvwxyz"); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("an unknown token: %v", err)
		}
		// With the limiter's count of the address's misses, in the same read.
		const key = "verify:10.1.2.3"
		for i := range 2 {
			if err := st.RecordFailure(ctx, key, t0.Add(time.Duration(i)*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		misses, k2, got2, err := st.LicenseLinkWithMisses(ctx, link.Token, key, t0.Add(-time.Minute))
		if err != nil || misses != 2 || !reflect.DeepEqual(k2, wantLink) || !reflect.DeepEqual(got2, want) {
			t.Errorf("with misses: %d, %+v, %v", misses, k2, err)
		}
		if misses, _, _, err := st.LicenseLinkWithMisses(ctx, link.Token, key, t0.Add(time.Second/2)); err != nil || misses != 1 {
			t.Errorf("misses since the first: %d, %v", misses, err)
		}
		if _, _, _, err := st.LicenseLinkWithMisses(ctx, "abcdefghijklmnopqrstuvwxyz", key, t0); !tongban.IsCode(err, tongban.ENotFound) {
			t.Errorf("an unknown token with misses: %v", err)
		}
	})
}
