package license

import (
	"context"
	"fmt"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
)

// EventIssued is the outbox event of a licence issued.
const EventIssued = "license.issued"

// chinaTime is the zone a licence's dates are reckoned in.
var chinaTime = time.FixedZone("CST", 8*3600)

// Issuer makes and signs the e-licence a case's result is.
type Issuer struct {
	// Serials hands out serials reserved before the issue transaction;
	// with none (the zero Issuer) the serial is taken inside it, and the
	// issuer's counter row stays locked until the issue commits.
	Serials *Serials
	// Kept keeps the type, org and seal key read before one issue for
	// the next (KeptIssuingTTL); nil reads them for every issue.
	Kept *KeptIssuing
}

// NewIssuer is an Issuer that reserves serials before the transaction and
// keeps what it reads before it.
func NewIssuer() Issuer { return Issuer{Serials: &Serials{}, Kept: &KeptIssuing{}} }

// IssueLicense is Issue in the shape the workflow asks for.
// prepared is what PrepareLicense returned for the case, or nil.
func (i Issuer) IssueLicense(ctx context.Context, tx tongban.Store, c *tongban.Case, l *tongban.Listing, holder *tongban.User, now time.Time, face map[string]string, serial *tongban.LicenseSerial, prepared any) (*tongban.License, error) {
	p, _ := prepared.(*Prepared)
	return i.Issue(ctx, tx, IssueRequest{Case: c, Listing: l, Applicant: holder, Now: now, Face: face, Serial: serial, Prepared: p})
}

// IssueRequest is a case whose listing names a licence type as its result.
type IssueRequest struct {
	Case      *tongban.Case
	Listing   *tongban.Listing
	Applicant *tongban.User // the holder
	Now       time.Time
	// Face holds face items the approver confirmed or filled in, by printed
	// name; they take precedence over the case form.
	Face map[string]string
	// Serial is the one reserved before the transaction
	// (ReserveLicenseSerial); nil, or one of another issuer or year, takes
	// the next inside it. Issue marks it Used when a licence has it.
	Serial *tongban.LicenseSerial
	// Prepared is what PrepareLicense read and signed before the
	// transaction, or nil; Issue uses what still fits (see Prepared).
	Prepared *Prepared
}

// Issue creates the licence in tx (the `issue` action's transaction): the
// GB/T 36903 metadata from the listing's type, the case's org (which must
// have a 统一社会信用代码) and the applicant; the face from the case's
// form; a GB/T 36904 identifier with the issuer's next serial; the SM2
// signature of the issuer's seal key (made on first use); and the
// license.issued event. Any failure fails the whole action.
func (i Issuer) Issue(ctx context.Context, tx tongban.Store, q IssueRequest) (*tongban.License, error) {
	// The type, the org and its seal key in one read: each round trip
	// here is one more the issue's transaction holds its locks for.
	// Read before the transaction when prepared (PrepareLicense), so
	// none of the three is read while the case is locked.
	in, err := q.Prepared.issuing(q.Listing.Result.LicenseType, q.Case.OrgID), error(nil)
	if in == nil {
		if in, err = readIssuing(ctx, tx, q.Listing.Result.LicenseType, q.Case.OrgID); err != nil {
			return nil, err
		}
	}
	typ, org := in.Type, in.Org
	if err := holderFits(typ, q.Applicant); err != nil {
		return nil, err
	}
	if org.CreditCode == "" {
		return nil, tongban.FieldError("credit_code", "发证机构「%s」未登记统一社会信用代码，不能签发电子证照", org.Name)
	}
	prior, err := priorLicence(ctx, tx, q.Case, typ, org, q.Applicant)
	if err != nil {
		return nil, err
	}
	var base map[string]string
	if prior != nil {
		base = prior.Face
	}
	face, err := q.Prepared.faceOf(q, in, base)
	if err != nil {
		return nil, err
	}
	holder := q.Applicant
	if founding(typ, q.Applicant) {
		if holder, err = foundedHolder(ctx, tx, typ, face, q.Applicant, q.Case, q.Now); err != nil {
			return nil, err
		}
	}
	local := q.Now.In(chinaTime)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	if prior != nil {
		// The case renews or changes a licence the applicant used in it:
		// the result is its next version, the old one 已变更 by this case.
		return renew(ctx, tx, q, typ, prior, face, day)
	}
	n, err := serialOf(ctx, tx, q.Serial, org.ID, local.Year())
	if err != nil {
		return nil, err
	}
	l, err := newLicence(q, typ, org, holder, face, day, fmt.Sprintf("%04d%07d", local.Year(), n))
	if err != nil {
		return nil, err
	}
	key := in.Key
	if key == nil {
		if key, err = newSealKeyOf(ctx, tx, org.ID, q.Now); err != nil {
			return nil, err
		}
	}
	if err := q.Prepared.signWith(ctx, tx, key, l); err != nil {
		if tongban.SealKeyRetired(err) { // rotated since it was kept: the retry reads the new one
			i.Kept.forget(typ.Code, org.ID)
		}
		return nil, err
	}
	ev := map[string]any{"identifier": l.Identifier, "type_code": l.TypeCode, "type_name": l.TypeName,
		"issuer_code": string(l.IssuerCode), "case_id": q.Case.ID, "case_number": q.Case.Number, "key_id": key.ID}
	if err := outbox.Append(ctx, tx, EventIssued, "license:"+l.Identifier, outbox.Scope{RegionCode: l.RegionCode, OrgID: org.ID}, q.Now, ev); err != nil {
		return nil, err
	}
	return l, nil
}

// readIssuing reads the type, the org and its seal key in one statement.
func readIssuing(ctx context.Context, st tongban.Store, typeCode string, orgID int64) (*tongban.LicenseIssuing, error) {
	in, err := st.LicenseIssuing(ctx, typeCode, orgID)
	if err != nil {
		if e := tongban.AsError(err); e.Code == tongban.ENotFound && e.Field == "type_code" {
			return nil, tongban.FieldError("result.license_type", "办理结果的证照类型 %s 不存在", typeCode)
		}
		return nil, err
	}
	return in, nil
}

// newLicence is the new licence (version 1) of the case's result, unsigned.
func newLicence(q IssueRequest, typ *tongban.LicenseType, org *tongban.Org, holder *tongban.User, face map[string]string, day time.Time, serial string) (*tongban.License, error) {
	l := &tongban.License{
		Identifier: Identifier{TypeCode: typ.Code, IssuerCode: org.CreditCode, Serial: serial, Version: 1}.String(),
		TypeCode:   typ.Code, TypeName: typ.Name, Number: q.Case.RegionCode[:6] + serial,
		IssuerID: org.ID, IssuerName: org.Name, IssuerCode: org.CreditCode,
		IssuedOn: day, ValidFrom: day, HolderID: holder.ID, HolderName: holder.Name,
		RegionCode: org.RegionCode, Status: tongban.LicenseValid, Version: 1, Face: face,
		CaseID: q.Case.ID, CreatedAt: q.Now,
	}
	if typ.ValidYears > 0 {
		l.ValidTo = day.AddDate(typ.ValidYears, 0, -1)
	}
	if holder.CreditCode != "" {
		l.HolderKind, l.HolderCode, l.HolderCodeMasked = tongban.HolderOrg, string(holder.CreditCode), string(holder.CreditCode)
	} else {
		l.HolderKind, l.HolderCode, l.HolderCodeMasked = tongban.HolderPerson, holder.IDNumber.Reveal(), holder.IDNumber.Masked()
	}
	if l.HolderCode == "" {
		return nil, tongban.FieldError("holder", "申请人没有经核验的证件号码，不能作为持证主体")
	}
	return l, nil
}

// holderFits refuses an applicant of the wrong kind for the type: a 结婚证
// is not issued to an enterprise, whatever the listing says. A person
// applying for an organisation's licence is its founder: the holder is
// the enterprise the face names (foundedHolder).
// founding reports whether a person applies for an organisation's licence.
func founding(typ *tongban.LicenseType, applicant *tongban.User) bool {
	return typ.HolderKind == tongban.HolderOrg && applicant.CreditCode == ""
}

func holderFits(typ *tongban.LicenseType, applicant *tongban.User) error {
	kind := tongban.HolderPerson
	if applicant.CreditCode != "" {
		kind = tongban.HolderOrg
	}
	if kind == typ.HolderKind || founding(typ, applicant) {
		return nil
	}
	if typ.HolderKind == tongban.HolderOrg {
		return tongban.FieldError("holder", "「%s」的持证主体应为法人或其他组织，申请人是自然人，不能签发", typ.Name)
	}
	return tongban.FieldError("holder", "「%s」的持证主体应为自然人，申请人是法人或其他组织，不能签发", typ.Name)
}

// SignAndStore signs l with the issuer's seal key (made on first use) and stores
// it in tx: the one way a licence is written, whatever made it.
func SignAndStore(ctx context.Context, tx tongban.Store, l *tongban.License) error {
	key, err := sealKeyOf(ctx, tx, l.IssuerID, l.CreatedAt)
	if err != nil {
		return err
	}
	return signWith(ctx, tx, key, l)
}

func signWith(ctx context.Context, tx tongban.Store, key *tongban.SealKey, l *tongban.License) error {
	return (*Prepared)(nil).signWith(ctx, tx, key, l)
}

// sealKeyOf is the org's seal key, generated and stored on first use.
func sealKeyOf(ctx context.Context, tx tongban.Store, orgID int64, now time.Time) (*tongban.SealKey, error) {
	k, err := tx.SealKeyOf(ctx, orgID)
	if err == nil || !tongban.IsCode(err, tongban.ENotFound) {
		return k, err
	}
	return newSealKeyOf(ctx, tx, orgID, now)
}

// newSealKeyOf generates and stores the org's first seal key.
func newSealKeyOf(ctx context.Context, tx tongban.Store, orgID int64, now time.Time) (*tongban.SealKey, error) {
	k, err := NewSealKey(orgID)
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "生成电子印章密钥失败")
	}
	k.CreatedAt = now
	return k, tx.CreateSealKey(ctx, k)
}
