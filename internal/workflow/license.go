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
	// serial is the one reserved before the transaction, if the issuer
	// reserves (LicenseSerialReserver); the issuer marks it Used.
	// prepared is what the LicensePreparer returned before the
	// transaction, or nil.
	IssueLicense(ctx context.Context, tx tongban.Store, c *tongban.Case, l *tongban.Listing, holder *tongban.User, now time.Time, face map[string]string, serial *tongban.LicenseSerial, prepared any) (*tongban.License, error)
}

// LicensePreparer is the optional part of a LicenseIssuer that reads and
// computes, before the issue transaction and through the root store, what
// the transaction would otherwise do while it holds the case's row (and,
// on SQLite, the one writer): the licence type, the issuer and its seal
// key, and the signature. What it returns is handed to IssueLicense,
// which checks in the transaction that it still fits; nil prepares
// nothing.
type LicensePreparer interface {
	PrepareLicense(ctx context.Context, st tongban.Store, c *tongban.Case, l *tongban.Listing, applicant *tongban.User, now time.Time,
		face map[string]string, serial *tongban.LicenseSerial) any
}

// preparedIssue is what was read and made before an issue's transaction.
type preparedIssue struct {
	applicant *tongban.User // as read before the transaction, or nil
	license   any           // from the LicensePreparer, or nil
}

// prepareLicense reads the applicant and lets the issuer prepare the
// licence of case c, before the issue transaction. Nothing is prepared for
// a case that takes no reserved serial (no licence, or a renewal), and a
// failed read prepares nothing: the transaction reads and refuses then.
func (s *Service) prepareLicense(ctx context.Context, r Request, c *tongban.Case, l *tongban.Listing, face map[string]string, serial *tongban.LicenseSerial) preparedIssue {
	lp, ok := s.Licenses.(LicensePreparer)
	if !ok || serial == nil {
		return preparedIssue{}
	}
	applicant := r.Actor
	if applicant == nil || applicant.ID != c.ApplicantID {
		var err error
		if applicant, err = s.Store.User(ctx, c.ApplicantID); err != nil {
			return preparedIssue{}
		}
	}
	return preparedIssue{applicant: applicant, license: lp.PrepareLicense(ctx, s.Store, c, l, applicant, s.now(), face, serial)}
}

// LicenseSerialReserver is the optional part of a LicenseIssuer that takes
// a new licence's serial before the issue transaction, through the root
// store, as case numbers are: taken inside, the issuer's counter row stays
// locked until the issue commits, and taken through the root store from
// inside, it waits for SQLite's one writer — the transaction itself.
type LicenseSerialReserver interface {
	// ReserveLicenseSerial returns nil when the case needs no serial.
	ReserveLicenseSerial(ctx context.Context, st tongban.Store, c *tongban.Case, l *tongban.Listing, now time.Time) (*tongban.LicenseSerial, error)
	GiveBackLicenseSerial(s *tongban.LicenseSerial)
}

// reserveLicenseSerial reserves the serial of the licence issuing case c
// will create, if its listing's result is a licence type.
func (s *Service) reserveLicenseSerial(ctx context.Context, c *tongban.Case, l *tongban.Listing) (*tongban.LicenseSerial, error) {
	r, ok := s.Licenses.(LicenseSerialReserver)
	if !ok || l == nil || l.Result.LicenseType == "" {
		return nil, nil
	}
	return r.ReserveLicenseSerial(ctx, s.Store, c, l, s.now())
}

// settleLicenseSerial gives back a reserved serial no licence certainly
// has: the issue committed without using it (a renewal), or was refused
// (GivesNumberBack). A failure that may hide a commit keeps it: a gap.
func (s *Service) settleLicenseSerial(serial *tongban.LicenseSerial, err error) {
	r, ok := s.Licenses.(LicenseSerialReserver)
	if !ok || serial == nil {
		return
	}
	if (err == nil && !serial.Used) || GivesNumberBack(err) {
		r.GiveBackLicenseSerial(serial)
	}
}

// issueLicense issues the licence the listing names as the result, if any.
// The applicant read before the transaction stands in for reading them in
// it (staleness: their account as it was milliseconds before).
func (t *txn) issueLicense(face map[string]string, serial *tongban.LicenseSerial, p preparedIssue) (*tongban.License, error) {
	if t.listing == nil || t.listing.Result.LicenseType == "" {
		return nil, nil
	}
	if t.s.Licenses == nil {
		return nil, tongban.Errorf(tongban.EUnavailable, "电子证照签发未启用，不能出具「%s」", strings.TrimSpace(t.listing.Result.Name))
	}
	holder := p.applicant
	if holder == nil || holder.ID != t.c.ApplicantID {
		var err error
		if holder, err = t.applicantUser(); err != nil {
			return nil, err
		}
	}
	return t.s.Licenses.IssueLicense(t.ctx, t.tx, t.c, t.listing, holder, t.now, face, serial, p.license)
}
