package license

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
)

// tokenEncoding writes a link token in lower-case base32 without padding:
// 16 random bytes (128 bits) make 26 characters, easy in a QR code.
var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

const tokenLen = 26

// NewToken makes an unguessable link token of 128 random bits.
func NewToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(tokenEncoding.EncodeToString(b)), nil
}

// wellFormedToken refuses anything NewToken cannot have made before the
// database is asked.
func wellFormedToken(s string) bool {
	if len(s) != tokenLen {
		return false
	}
	_, err := tokenEncoding.DecodeString(strings.ToUpper(s))
	return err == nil
}

// VerifyPath is the path of a link's public page; the QR code holds the
// public URL followed by it.
func VerifyPath(token string) string { return "/v/" + token }

// FaceLinkOf is the licence's face link (the one its QR code holds), made
// on first use. Two first uses at once both end with the same link.
func FaceLinkOf(ctx context.Context, st tongban.Store, l *tongban.License, now time.Time) (*tongban.LicenseLink, error) {
	k, err := st.FaceLink(ctx, l.ID)
	if err == nil || !tongban.IsCode(err, tongban.ENotFound) {
		return k, err
	}
	token, err := NewToken()
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "生成核验码失败")
	}
	k = &tongban.LicenseLink{Token: token, LicenseID: l.ID, Identifier: l.Identifier, Kind: tongban.LinkFace, CreatedAt: now}
	if err := st.CreateLicenseLink(ctx, k); tongban.IsCode(err, tongban.EConflict) {
		return st.FaceLink(ctx, l.ID)
	} else if err != nil {
		return nil, err
	}
	return k, nil
}

// Share limits.
const (
	MaxSharePurpose = 60  // characters of 用途
	MaxShareDays    = 365 // a share lasts at most a year
)

// ShareRequest is the holder's 加注件: for what, until which China date.
type ShareRequest struct {
	Purpose string `json:"purpose"` // e.g. 食品经营许可证延续
	Until   string `json:"until"`   // YYYY-MM-DD, the last day it may be used
}

// Share makes a share link (加注件) of the holder's licence: the licence
// must be the holder's and 有效; the purpose is stated; the link expires
// at the end of Until (China time), which is today or later, within a
// year, and not after the licence's own validity. Errors name the field.
func Share(ctx context.Context, st tongban.Store, holder *tongban.User, l *tongban.License, q ShareRequest, now time.Time) (*tongban.LicenseLink, error) {
	if l.HolderID != holder.ID {
		return nil, tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", l.Identifier)
	}
	purpose := strings.TrimSpace(q.Purpose)
	purpose = strings.TrimSuffix(strings.TrimPrefix(purpose, "办理"), "使用")
	switch {
	case purpose == "":
		return nil, tongban.FieldError("purpose", "请填写加注件的用途，如“食品经营许可证延续”")
	case utf8.RuneCountInString(purpose) > MaxSharePurpose:
		return nil, tongban.FieldError("purpose", "用途不超过%d个字", MaxSharePurpose)
	case strings.ContainsFunc(purpose, isControl):
		return nil, tongban.FieldError("purpose", "用途含有控制字符")
	}
	until, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(q.Until), chinaTime)
	if err != nil {
		return nil, tongban.FieldError("until", "有效期至应为日期，如 2026-12-31")
	}
	local := now.In(chinaTime)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, chinaTime)
	switch {
	case until.Before(today):
		return nil, tongban.FieldError("until", "有效期至不能早于今天")
	case until.After(today.AddDate(0, 0, MaxShareDays)):
		return nil, tongban.FieldError("until", "加注件有效期最长%d天", MaxShareDays)
	case !l.ValidTo.IsZero() && until.After(time.Date(l.ValidTo.Year(), l.ValidTo.Month(), l.ValidTo.Day(), 0, 0, 0, 0, chinaTime)):
		return nil, tongban.FieldError("until", "有效期至不能晚于证照本身的有效期（%s）", l.ValidTo.Format("2006-01-02"))
	}
	v, err := Verify(ctx, st, l.Identifier, now)
	if err != nil {
		return nil, err
	}
	if v.Verdict != VerdictValid {
		return nil, tongban.Errorf(tongban.EInvalid, "该电子证照%s，不能制作加注件", v.Label)
	}
	token, err := NewToken()
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "生成加注件链接失败")
	}
	k := &tongban.LicenseLink{Token: token, LicenseID: l.ID, Identifier: l.Identifier, Kind: tongban.LinkShare,
		Purpose: purpose, ExpiresAt: until.AddDate(0, 0, 1).UTC(), CreatedBy: holder.ID, CreatedAt: now}
	return k, st.CreateLicenseLink(ctx, k)
}

// Annotation is a share's 加注: 仅供办理{purpose}使用，有效期至{date}.
func Annotation(k *tongban.LicenseLink) string {
	return "仅供办理" + k.Purpose + "使用，有效期至" + LastDay(k)
}

// LastDay is the China date a share may last be used, as YYYY年M月D日.
func LastDay(k *tongban.LicenseLink) string {
	if k.ExpiresAt.IsZero() {
		return ""
	}
	return dateCN(k.ExpiresAt.In(chinaTime).AddDate(0, 0, -1).Format("2006-01-02"))
}

// Outcomes of a link visit besides a verdict.
const (
	OutcomeShareExpired = "share_expired" // 加注件已过期
	OutcomeShareRevoked = "share_revoked" // 持证人已撤销
)

// Visit is what a link's page shows.
type Visit struct {
	Link         *tongban.LicenseLink
	Verification *Verification // nil when a share is refused
	// Refused says why a share link no longer opens (已过期, 已撤销).
	Refused string
	// Face is a share's face items (a person's ID number masked), for the
	// purpose it was made for; the face link shows none.
	Face []FaceItem
}

// FaceItem is one printed item of a licence face.
type FaceItem struct{ Name, Value string }

// OpenLink follows a link token: an unknown or malformed one is ENotFound;
// a share past its day or withdrawn is refused; otherwise the licence is
// verified. Every visit of a known link is recorded with what it showed.
func OpenLink(ctx context.Context, st tongban.Store, visits VisitRecorder, token string, now time.Time) (*Visit, error) {
	token = normalToken(token)
	if !wellFormedToken(token) {
		return nil, unknownToken()
	}
	k, l, err := st.LicenseLinkWithLicense(ctx, token)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, unknownToken()
	} else if err != nil {
		return nil, err
	}
	return openLink(ctx, st, visits, k, l, now)
}

func normalToken(token string) string { return strings.ToLower(strings.TrimSpace(token)) }

func unknownToken() error {
	return tongban.Errorf(tongban.ENotFound, "未找到该核验码：请核对链接或重新扫码")
}

// openLink is OpenLink of link k of licence l, both read.
func openLink(ctx context.Context, st tongban.LicenseStore, visits VisitRecorder, k *tongban.LicenseLink, l *tongban.License, now time.Time) (*Visit, error) {
	var err error
	out := &Visit{Link: k}
	outcome := ""
	switch {
	case k.Kind == tongban.LinkShare && !k.RevokedAt.IsZero():
		out.Refused, outcome = "该加注件已被持证人撤销，不能再使用", OutcomeShareRevoked
	case k.Kind == tongban.LinkShare && !k.Open(now):
		out.Refused, outcome = "该加注件已于"+LastDay(k)+"到期，不能再使用", OutcomeShareExpired
	default:
		if out.Verification, err = VerifyLicense(ctx, st, l, now); err != nil {
			return nil, err
		}
		outcome = out.Verification.Verdict
		if k.Kind == tongban.LinkShare && out.Verification.Verdict == VerdictValid {
			out.Face = PublicFace(l)
		}
	}
	v := &tongban.LicenseVisit{LinkID: k.ID, LicenseID: k.LicenseID, Kind: k.Kind, Outcome: outcome, At: now}
	if err := visits.RecordLicenseVisit(ctx, v); err != nil {
		return nil, err
	}
	return out, nil
}

// PublicFace lists the face items by name, masking any value that is a
// 公民身份号码.
func PublicFace(l *tongban.License) []FaceItem {
	names := make([]string, 0, len(l.Face))
	for k := range l.Face {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]FaceItem, 0, len(names))
	for _, n := range names {
		v := l.Face[n]
		if id, err := tongban.ParseIDNumber(v); err == nil {
			v = id.Masked()
		}
		out = append(out, FaceItem{Name: n, Value: v})
	}
	return out
}

// VisitOutcomeLabel names a visit's outcome in Chinese.
func VisitOutcomeLabel(outcome string) string {
	switch outcome {
	case OutcomeShareExpired:
		return "加注件已过期，已拒绝"
	case OutcomeShareRevoked:
		return "加注件已撤销，已拒绝"
	}
	if l, ok := verdictLabels[outcome]; ok {
		return "显示“" + l + "”"
	}
	return outcome
}

// FaceOf is the licence's face as its PDF shows it: the type's item order,
// the QR code of its face link (made on first use) under publicURL, and
// its status printed once it is no longer 有效.
func FaceOf(ctx context.Context, st tongban.Store, l *tongban.License, publicURL string, now time.Time) (Face, error) {
	k, err := FaceLinkOf(ctx, st, l, now)
	if err != nil {
		return Face{}, err
	}
	f := Face{License: l, VerifyURL: publicURL + VerifyPath(k.Token)}
	if t, err := st.LicenseType(ctx, l.TypeCode); err == nil {
		f.Type = t
	} else if !tongban.IsCode(err, tongban.ENotFound) {
		return Face{}, err
	}
	v, err := Verify(ctx, st, l.Identifier, now)
	if err != nil {
		return Face{}, err
	}
	if v.Verdict != VerdictValid {
		f.Status = v.Label
	}
	return f, nil
}

// MaskedFace is the licence with every face item that is a 公民身份号码
// masked, for answers that list or show licences (the signed form and the
// PDF carry the licence as it is).
func MaskedFace(l *tongban.License) *tongban.License {
	out := *l
	out.Face = make(map[string]string, len(l.Face))
	for k, v := range l.Face {
		if id, err := tongban.ParseIDNumber(v); err == nil {
			v = id.Masked()
		}
		out.Face[k] = v
	}
	return &out
}
