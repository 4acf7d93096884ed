package rating

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// Links signs and checks the rating links printed as QR codes on notices
// and at windows (channel qr) and sent in the notification (channel sms).
// A link names a case, an encounter, its channel and when it expires,
// under an HMAC-SHA256 of a key derived from the platform secret: it proves
// which encounter is rated through which channel, not who rates. Rating
// from it still needs the case's applicant signed in (Submit's rule), so a
// forwarded message or a photographed notice lets no one else rate.
type Links struct {
	Key   []byte
	Clock tongban.Clock
	TTL   time.Duration // DefaultLinkTTL if zero
}

// DefaultLinkTTL is how long a rating link stays valid.
const DefaultLinkTTL = 30 * 24 * time.Hour

// Link is what a rating link names.
type Link struct {
	Number    string                `json:"n"`
	Encounter string                `json:"e"`
	Channel   tongban.RatingChannel `json:"c"`
	Expires   int64                 `json:"x"` // Unix seconds
}

// ExpiresAt is when l stops being valid.
func (l Link) ExpiresAt() time.Time { return time.Unix(l.Expires, 0) }

var b64 = base64.RawURLEncoding

func (ls *Links) mac(payload string) string {
	m := hmac.New(sha256.New, ls.Key)
	m.Write([]byte("rating-link\x00" + payload))
	return b64.EncodeToString(m.Sum(nil))
}

// Sign returns the token of a link to rate the encounter of the case
// numbered number through ch (qr or sms), valid for the TTL from now.
func (ls *Links) Sign(number, encounter string, ch tongban.RatingChannel) string {
	ttl := ls.TTL
	if ttl == 0 {
		ttl = DefaultLinkTTL
	}
	b, _ := json.Marshal(Link{Number: number, Encounter: encounter, Channel: ch, Expires: ls.Clock.Now().Add(ttl).Unix()})
	payload := b64.EncodeToString(b)
	return payload + "." + ls.mac(payload)
}

// Verify checks a token's signature and expiry and returns its link: a
// forged or altered token, or an expired one, is refused in Chinese.
func (ls *Links) Verify(token string) (*Link, error) {
	forged := tongban.FieldError("link", "评价链接无效：二维码或短信链接不完整或已被篡改，请登录后在“我的办件”中评价")
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || len(ls.Key) == 0 || !hmac.Equal([]byte(sig), []byte(ls.mac(payload))) {
		return nil, forged
	}
	b, err := b64.DecodeString(payload)
	var l Link
	if err != nil || json.Unmarshal(b, &l) != nil || l.Number == "" || l.Encounter == "" ||
		(l.Channel != tongban.RatingQR && l.Channel != tongban.RatingSMS) {
		return nil, forged
	}
	if !ls.Clock.Now().Before(l.ExpiresAt()) {
		return nil, tongban.FieldError("link", "评价链接已于 %s 过期，请登录后在“我的办件”中评价",
			l.ExpiresAt().In(calendar.Location()).Format("2006-01-02 15:04"))
	}
	return &l, nil
}

// LinkPath is where a rating link's token is opened.
const LinkPath = "/r/"

// LinkURL is the absolute rating link of the case's 一事一评 through ch
// under base, the public URL; "" without Links.
func (s *Service) LinkURL(base, number string, ch tongban.RatingChannel) string {
	return s.EncounterLinkURL(base, number, tongban.EncounterCase, ch)
}

// EncounterLinkURL is the absolute rating link of one encounter of the
// case ("case", or a visit's event id) through ch under base; "" without
// Links. It checks nothing: the notification calls it for the visits the
// workflow announced, and rating through it checks the encounter
// (encounterOrg) like any other rating.
func (s *Service) EncounterLinkURL(base, number, encounter string, ch tongban.RatingChannel) string {
	if s.Links == nil {
		return ""
	}
	return strings.TrimRight(base, "/") + LinkPath + s.Links.Sign(number, encounter, ch)
}

// VisitLinkURL is the signed rating link of one visit of c (一次一评), for
// a QR at the window or an SMS; ENotFound when the event is not a visit of c.
func (s *Service) VisitLinkURL(ctx context.Context, base string, c *tongban.Case, event string, ch tongban.RatingChannel) (string, error) {
	if s.Links == nil {
		return "", tongban.Errorf(tongban.ENotFound, "评价链接未启用")
	}
	if _, err := s.encounterOrg(ctx, c, event); err != nil || event == tongban.EncounterCase {
		return "", tongban.Errorf(tongban.ENotFound, "办件 %s 没有该次到场服务", c.Number)
	}
	return strings.TrimRight(base, "/") + LinkPath + s.Links.Sign(c.Number, event, ch), nil
}
