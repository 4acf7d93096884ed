package license

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/tongban/tongban"
)

// Prepared is what PrepareLicense did before the issue's transaction: the
// type, the org and its current seal key read, and the licence signed as
// it would be issued then. On SQLite the transaction holds the one
// writer, so every issue waited for the reads and the SM2 signature of
// the one before it; on PostgreSQL the case's row stayed locked through
// them.
//
// Staleness: the type and the org (its name and credit code) are as read
// before the transaction, or kept from an issue before it (KeptIssuing,
// at most KeptIssuingTTL). The key is never one retired meanwhile: the
// licence's insert checks it, and an issue signed by a key rotated since
// is refused whole (tongban.SealKeyRetired) and made again. The signature
// is only reused when the licence built in the transaction, from the case
// as locked there, has exactly the bytes that were signed, under the same
// key; otherwise it is signed again there.
type Prepared struct {
	in *tongban.LicenseIssuing
	// The face filled from form, confirmed and applicant (fillFace is a
	// function of them and the type alone).
	form      []byte
	confirmed map[string]string
	applicant *tongban.User
	face      map[string]string
	keyID     string
	payload   []byte
	sig       []byte
}

// PrepareLicense reads through the root store st, before the issue's
// transaction, what issuing the case's licence needs, and signs the
// licence it would issue now with the serial reserved for it. It returns
// nil when there is nothing to prepare (no serial: a renewal, or no
// licence) or when anything is amiss: the transaction then reads and
// refuses as before, so preparing never changes an outcome.
func (i Issuer) PrepareLicense(ctx context.Context, st tongban.Store, c *tongban.Case, l *tongban.Listing, applicant *tongban.User,
	now time.Time, face map[string]string, serial *tongban.LicenseSerial) any {
	if serial == nil || l == nil || l.Result.LicenseType == "" || serial.IssuerID != c.OrgID {
		return nil
	}
	in, err := i.Kept.read(ctx, st, l.Result.LicenseType, c.OrgID, now)
	if err != nil {
		return nil
	}
	p := &Prepared{in: in}
	local := now.In(chinaTime)
	if in.Key == nil || applicant == nil || applicant.ID != c.ApplicantID || in.Org.CreditCode == "" ||
		holderFits(in.Type, applicant) != nil || founding(in.Type, applicant) || serial.Year != local.Year() {
		return p // what a founder's licence holds is decided in the transaction
	}
	f, err := checkFace(in.Type, fillFace(in.Type, c.Form, face, applicant, nil))
	if err != nil {
		return p
	}
	p.form, p.confirmed, p.applicant, p.face = c.Form, face, applicant, f
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	q := IssueRequest{Case: c, Listing: l, Applicant: applicant, Now: now}
	lic, err := newLicence(q, in.Type, in.Org, applicant, f, day, fmt.Sprintf("%04d%07d", local.Year(), serial.N))
	if err != nil {
		return p
	}
	lic.KeyID = in.Key.ID
	payload, err := Canonical(lic)
	if err != nil {
		return p
	}
	sig, err := Sign(in.Key, payload)
	if err != nil {
		return p
	}
	p.keyID, p.payload, p.sig = in.Key.ID, payload, sig
	return p
}

// issuing is what was read before the transaction, if it is of the type
// and org the transaction issues for (the case may have been handed to
// another org since), else nil.
func (p *Prepared) issuing(typeCode string, orgID int64) *tongban.LicenseIssuing {
	if p == nil || p.in.Type.Code != typeCode || p.in.Org.ID != orgID {
		return nil
	}
	return p.in
}

// faceOf is the checked face of the licence q issues: the one filled
// before the transaction when it was filled from what q holds (the same
// type read, the same applicant, the case's form unchanged, the same items
// confirmed, no prior licence), else filled now.
func (p *Prepared) faceOf(q IssueRequest, in *tongban.LicenseIssuing, prior map[string]string) (map[string]string, error) {
	if p != nil && p.face != nil && p.in == in && prior == nil && p.applicant == q.Applicant &&
		bytes.Equal(p.form, q.Case.Form) && maps.Equal(p.confirmed, q.Face) {
		return p.face, nil
	}
	return checkFace(in.Type, fillFace(in.Type, q.Case.Form, q.Face, q.Applicant, prior))
}

// signWith signs l with key and stores it in tx. The signature made
// before the transaction is taken when l's canonical bytes and key are
// exactly those it was made over.
func (p *Prepared) signWith(ctx context.Context, tx tongban.Store, key *tongban.SealKey, l *tongban.License) error {
	l.KeyID = key.ID
	payload, err := Canonical(l)
	if err != nil {
		return err
	}
	if p != nil && p.sig != nil && p.keyID == key.ID && bytes.Equal(p.payload, payload) {
		l.Signature = p.sig
	} else if l.Signature, err = Sign(key, payload); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "电子证照签名失败")
	}
	return tx.CreateLicense(ctx, l)
}
