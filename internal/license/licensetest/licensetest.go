// Package licensetest stores signed licences for tests of the pages, the
// API and the browser, through the one way licences are written
// (license.SignAndStore).
package licensetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// Store signs and stores a licence of the type for the holder, issued by
// the org (which needs a credit code) on now's date, valid for years (0:
// 长期). serial makes the identifier unique among the org's licences.
func Store(t testing.TB, st tongban.Store, org *tongban.Org, holder *tongban.User, typeCode string, serial int, years int, now time.Time) *tongban.License {
	t.Helper()
	ctx := context.Background()
	typ, err := st.LicenseType(ctx, typeCode)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	s := fmt.Sprintf("%04d%07d", now.Year(), serial)
	l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: org.CreditCode, Serial: s, Version: 1}.String(),
		TypeCode: typ.Code, TypeName: typ.Name, Number: org.RegionCode[:6] + s, IssuerID: org.ID, IssuerName: org.Name,
		IssuerCode: org.CreditCode, IssuedOn: day, ValidFrom: day, HolderID: holder.ID, HolderName: holder.Name,
		RegionCode: org.RegionCode, Status: tongban.LicenseValid, Version: 1, Face: map[string]string{}, CreatedAt: now}
	if years > 0 {
		l.ValidTo = day.AddDate(years, 0, -1)
	}
	for _, f := range typ.Fields {
		l.Face[f.Name] = holder.Name
	}
	if holder.CreditCode != "" {
		l.HolderKind, l.HolderCode, l.HolderCodeMasked = tongban.HolderOrg, string(holder.CreditCode), string(holder.CreditCode)
	} else {
		l.HolderKind, l.HolderCode, l.HolderCodeMasked = tongban.HolderPerson, holder.IDNumber.Reveal(), holder.IDNumber.Masked()
	}
	if err := st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, l) }); err != nil {
		t.Fatal(err)
	}
	return l
}
