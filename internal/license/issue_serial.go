package license

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// ReserveLicenseSerial takes, before the issue transaction and through the
// root store st, the serial the case's licence will have: for the case's
// org and the year in China time. A case that renews a licence it used
// (the result is that licence's next version) needs none, nor does a
// listing whose result is no licence: nil then. So does the zero Issuer.
func (i Issuer) ReserveLicenseSerial(ctx context.Context, st tongban.Store, c *tongban.Case, l *tongban.Listing, now time.Time) (*tongban.LicenseSerial, error) {
	if i.Serials == nil || l == nil || l.Result.LicenseType == "" {
		return nil, nil
	}
	renews, err := mayRenew(ctx, st, c, l.Result.LicenseType)
	if err != nil || renews {
		return nil, err
	}
	year := now.In(chinaTime).Year()
	n, err := i.Serials.Next(ctx, st, c.OrgID, year, now)
	if err != nil {
		return nil, err
	}
	return &tongban.LicenseSerial{IssuerID: c.OrgID, Year: year, N: n}, nil
}

// GiveBackLicenseSerial returns a reserved serial no stored licence has:
// the issue was refused, or renewed a licence instead.
func (i Issuer) GiveBackLicenseSerial(s *tongban.LicenseSerial) {
	if i.Serials != nil && s != nil {
		i.Serials.GiveBack(s.IssuerID, s.Year, s.N)
	}
}

// mayRenew reports whether the case used a 有效 licence of the result's
// type held by its applicant: priorLicence decides in the transaction, and
// a serial is only reserved when it will most likely be needed.
func mayRenew(ctx context.Context, st tongban.Store, c *tongban.Case, typeCode string) (bool, error) {
	for _, m := range c.Materials {
		if m.Ref == nil || m.Ref.Kind != tongban.RefLicense {
			continue
		}
		l, err := st.LicenseByIdentifier(ctx, m.Ref.ID)
		if tongban.IsCode(err, tongban.ENotFound) {
			continue
		} else if err != nil {
			return false, err
		}
		if l.TypeCode == typeCode && l.HolderID == c.ApplicantID && l.Status == tongban.LicenseValid {
			return true, nil
		}
	}
	return false, nil
}

// serialOf is the serial a new licence of the issuer takes in tx: the one
// reserved for it if it fits, else the next inside the transaction (a
// case handed to another org, or issued across New Year's midnight, since
// it was reserved).
func serialOf(ctx context.Context, tx tongban.Store, r *tongban.LicenseSerial, issuerID int64, year int) (int64, error) {
	if r != nil && r.IssuerID == issuerID && r.Year == year {
		r.Used = true
		return r.N, nil
	}
	return tx.NextLicenseSerial(ctx, issuerID, year)
}
