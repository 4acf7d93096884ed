package license

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// Verdicts of a verification.
const (
	VerdictValid    = "valid"    // 有效
	VerdictExpired  = "expired"  // 已过期
	VerdictRevoked  = "revoked"  // 已注销
	VerdictChanged  = "changed"  // 已变更
	VerdictUnknown  = "unknown"  // 无此证照
	VerdictTampered = "tampered" // 签名不符
)

var verdictLabels = map[string]string{VerdictValid: "有效", VerdictExpired: "已过期", VerdictRevoked: "已注销",
	VerdictChanged: "已变更", VerdictUnknown: "查无此证照", VerdictTampered: "签名核验不通过"}

// Verification is what anyone may learn about a licence from its
// identifier: status, issuer and type, the holder masked, and whether the
// stored record still matches its signature.
type Verification struct {
	Identifier     string `json:"identifier"`
	Verdict        string `json:"verdict"`
	Label          string `json:"label"`
	TypeName       string `json:"type_name,omitempty"`
	Number         string `json:"number,omitempty"`
	IssuerName     string `json:"issuer_name,omitempty"`
	IssuerCode     string `json:"issuer_code,omitempty"`
	Holder         string `json:"holder,omitempty"` // masked
	IssuedOn       string `json:"issued_on,omitempty"`
	ValidTo        string `json:"valid_to,omitempty"` // "长期" when open-ended
	Version        int    `json:"version,omitempty"`
	SignatureValid bool   `json:"signature_valid"`
	KeyID          string `json:"key_id,omitempty"`
	Algorithm      string `json:"algorithm,omitempty"`
}

// Verify looks a licence up by its GB/T 36904 identifier (a malformed one
// or a wrong check character is an EInvalid error naming "identifier"),
// re-verifies its signature with the issuer's published key, and says
// whether it is valid, expired, revoked, changed, unknown or tampered.
func Verify(ctx context.Context, st tongban.LicenseStore, identifier string, now time.Time) (*Verification, error) {
	id, err := ParseIdentifier(identifier)
	if err != nil {
		return nil, err
	}
	l, err := st.LicenseByIdentifier(ctx, id.String())
	if tongban.IsCode(err, tongban.ENotFound) {
		return &Verification{Identifier: id.String(), Verdict: VerdictUnknown, Label: verdictLabels[VerdictUnknown]}, nil
	}
	if err != nil {
		return nil, err
	}
	return VerifyLicense(ctx, st, l, now)
}

// VerifyLicense is Verify of a licence already read (a caller that looked
// it up by identifier need not read it twice).
func VerifyLicense(ctx context.Context, st tongban.LicenseStore, l *tongban.License, now time.Time) (*Verification, error) {
	v := &Verification{Identifier: l.Identifier}
	v.TypeName, v.Number, v.IssuerName, v.IssuerCode = l.TypeName, l.Number, l.IssuerName, string(l.IssuerCode)
	v.Holder, v.IssuedOn, v.ValidTo, v.Version = holderMasked(l), l.IssuedOn.Format("2006-01-02"), "长期", l.Version
	if !l.ValidTo.IsZero() {
		v.ValidTo = l.ValidTo.Format("2006-01-02")
	}
	v.KeyID, v.Algorithm = l.KeyID, Algorithm
	if pub, err := publishedKey(ctx, st, l.KeyID); err == nil {
		if payload, err := Canonical(l); err == nil {
			v.SignatureValid, _ = verified.verify(pub, payload, l.Signature)
		}
	} else if !tongban.IsCode(err, tongban.ENotFound) {
		return nil, err
	}
	switch {
	case !v.SignatureValid:
		v.Verdict = VerdictTampered
	case l.Status == tongban.LicenseRevoked:
		v.Verdict = VerdictRevoked
	case l.Status == tongban.LicenseChanged:
		v.Verdict = VerdictChanged
	case l.Expired(now):
		v.Verdict = VerdictExpired
	default:
		v.Verdict = VerdictValid
	}
	v.Label = verdictLabels[v.Verdict]
	return v, nil
}

// holderMasked shows an organisation's name in full (it is public on the
// licence) and a person's masked.
func holderMasked(l *tongban.License) string {
	if l.HolderKind == tongban.HolderOrg {
		return l.HolderName
	}
	return tongban.MaskName(l.HolderName)
}
