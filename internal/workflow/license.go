package workflow

import (
	"context"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// LicenseIssuer creates and signs the e-licence a case's result is, in the
// issue action's transaction (tx), so a licence exists exactly when the
// case says it was issued. internal/license implements it.
type LicenseIssuer interface {
	// face holds the items the approver confirmed or filled in, by printed
	// name, over what the case's form gives.
	IssueLicense(ctx context.Context, tx tongban.Store, c *tongban.Case, l *tongban.Listing, holder *tongban.User, now time.Time, face map[string]string) (*tongban.License, error)
}

// issueLicense issues the licence the listing names as the result, if any.
func (t *txn) issueLicense(face map[string]string) (*tongban.License, error) {
	if t.listing == nil || t.listing.Result.LicenseType == "" {
		return nil, nil
	}
	if t.s.Licenses == nil {
		return nil, tongban.Errorf(tongban.EUnavailable, "电子证照签发未启用，不能出具「%s」", strings.TrimSpace(t.listing.Result.Name))
	}
	holder, err := t.applicantUser()
	if err != nil {
		return nil, err
	}
	return t.s.Licenses.IssueLicense(t.ctx, t.tx, t.c, t.listing, holder, t.now, face)
}
