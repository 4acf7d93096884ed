package rating_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
)

// A signed link reads back as signed until it expires; an altered payload,
// another key's signature or a truncated token is refused naming link.
func TestRatingLinksSignedAndExpiring(t *testing.T) {
	clock := tongban.NewManualClock(ratedAt)
	ls := &rating.Links{Key: []byte("k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1"), Clock: clock, TTL: 48 * time.Hour}
	tok := ls.Sign("511602000000-20260901-000001", "case", tongban.RatingSMS)
	l, err := ls.Verify(tok)
	if err != nil || l.Number != "511602000000-20260901-000001" || l.Encounter != "case" || l.Channel != tongban.RatingSMS {
		t.Fatalf("Verify = %+v, %v", l, err)
	}
	other := &rating.Links{Key: []byte("k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2"), Clock: clock}
	payload, sig, _ := strings.Cut(tok, ".")
	altered := ls.Sign("511602000000-20260901-000002", "case", tongban.RatingSMS)
	alteredPayload, _, _ := strings.Cut(altered, ".")
	for name, bad := range map[string]string{
		"another key":        other.Sign("511602000000-20260901-000001", "case", tongban.RatingSMS),
		"an altered payload": alteredPayload + "." + sig,
		"no signature":       payload,
		"empty":              "",
	} {
		if _, err := ls.Verify(bad); code(err) != tongban.EInvalid || field(err) != "link" || !strings.Contains(err.Error(), "评价链接无效") {
			t.Errorf("%s: %v", name, err)
		}
	}
	clock.Advance(48 * time.Hour)
	if _, err := ls.Verify(tok); code(err) != tongban.EInvalid || !strings.Contains(err.Error(), "已于 2026-10-02 10:00 过期") {
		t.Errorf("expired: %v", err)
	}
}
