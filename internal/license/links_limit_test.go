package license_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Withdrawing a share link is an audited action of its holder only, and
// the verify page's links are opened within an address's budget of misses:
// unknown tokens count, and once an address has used its budget its every
// visit is refused for the window, while another address and known tokens
// from a fresh address still open.
func TestShareRevokeAuditedAndVerifyMissesLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newLifeWorld(t, d)
		res, err := w.svc.Import(w.ctx, as(w.admin), w.scjg.ID, []license.ImportRow{foodRow("JY1")})
		w.must(err)
		l, err := w.st.LicenseByIdentifier(w.ctx, res.Identifiers[0])
		w.must(err)
		k, err := license.Share(w.ctx, w.st, w.firm, l, license.ShareRequest{Purpose: "食品经营许可证延续", Until: "2026-03-31"}, w.clock.Now())
		w.must(err)

		// Someone else cannot withdraw the holder's share, and nothing is audited.
		if _, err := license.RevokeShare(w.ctx, w.st, as(w.citizen), l, k.ID, w.clock.Now()); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("another user's withdrawal: %v, want not found", err)
		}
		object := "license_link:" + itoa(k.ID)
		if w.audited(license.AuditShareRevoke, object) {
			t.Fatal("a refused withdrawal was audited")
		}
		got, err := license.RevokeShare(w.ctx, w.st, as(w.firm), l, k.ID, w.clock.Now())
		w.must(err)
		if got.ID != k.ID || got.RevokedAt.IsZero() {
			t.Fatalf("withdrawn share %+v", got)
		}
		if !w.audited(license.AuditShareRevoke, object) {
			t.Fatal("withdrawing a share link is not audited")
		}
		if _, err := license.RevokeShare(w.ctx, w.st, as(w.firm), l, k.ID, w.clock.Now()); !tongban.IsCode(err, tongban.ENotFound) {
			t.Fatalf("withdrawing twice: %v, want not found", err)
		}
		v, err := license.OpenLinkFrom(w.ctx, w.st, w.st, "203.0.113.7", k.Token, w.clock.Now())
		w.must(err)
		if !strings.Contains(v.Refused, "撤销") {
			t.Fatalf("a withdrawn share opens: %+v", v)
		}

		face, err := license.FaceLinkOf(w.ctx, w.st, l, w.clock.Now())
		w.must(err)
		unknown := strings.Repeat("a", len(face.Token))
		for i := 0; i < license.VerifyMisses; i++ {
			// Known tokens cost nothing.
			if _, err := license.OpenLinkFrom(w.ctx, w.st, w.st, "203.0.113.7", face.Token, w.clock.Now()); err != nil {
				t.Fatalf("known token after %d misses: %v", i, err)
			}
			if _, err := license.OpenLinkFrom(w.ctx, w.st, w.st, "203.0.113.7", unknown, w.clock.Now()); !tongban.IsCode(err, tongban.ENotFound) {
				t.Fatalf("miss %d: %v, want not found", i+1, err)
			}
		}
		for _, token := range []string{unknown, face.Token} {
			_, err := license.OpenLinkFrom(w.ctx, w.st, w.st, "203.0.113.7", token, w.clock.Now())
			if e := tongban.AsError(err); e == nil || e.Code != tongban.ETooManyTries || e.RetryAfter != license.VerifyWindow {
				t.Fatalf("after the budget (%s): %v, want too many requests", token, err)
			}
		}
		if v, err := license.OpenLinkFrom(w.ctx, w.st, w.st, "198.51.100.2", face.Token, w.clock.Now()); err != nil || v.Verification.Verdict != license.VerdictValid {
			t.Fatalf("another address: %+v, %v", v, err)
		}
		w.clock.Advance(license.VerifyWindow + 1)
		if _, err := license.OpenLinkFrom(w.ctx, w.st, w.st, "203.0.113.7", face.Token, w.clock.Now()); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
