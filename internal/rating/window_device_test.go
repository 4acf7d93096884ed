package rating_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// 窗口评价器: the window's clerk issues a device token (only its hash is
// kept); the device shows the window's latest visit with the clerk's name
// masked and rates it through window_device on behalf of the applicant at
// the window — once; a forged, revoked or other-window device, or another
// encounter, is refused; the rating counts for the window as any other.
func TestWindowDeviceRatesTheCurrentVisit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		if _, _, err := w.svc.IssueDevice(w.ctx, as(w.admin), w.window.ID, "1号窗口评价器"); code(err) != tongban.EForbidden {
			t.Errorf("another department's admin issuing: %v", err)
		}
		if _, _, err := w.svc.IssueDevice(w.ctx, as(w.clerk), w.dept.ID, "评价器"); code(err) != tongban.EInvalid || field(err) != "window_id" {
			t.Errorf("a device for a department: %v", err)
		}
		if _, _, err := w.svc.IssueDevice(w.ctx, as(w.clerk), w.window.ID, " "); code(err) != tongban.EInvalid || field(err) != "label" {
			t.Errorf("no label: %v", err)
		}
		dev, token, err := w.svc.IssueDevice(w.ctx, as(w.clerk), w.window.ID, "1号窗口评价器")
		if err != nil || len(token) != 48 || dev.TokenHash != rating.HashDeviceToken(token) || dev.TokenHash == token {
			t.Fatalf("issued %+v %q, %v", dev, token, err)
		}
		if w.audited("rating.device.issue") != 1 {
			t.Error("issuing is not audited")
		}
		forged := "00" + token[2:]
		if forged == token { // a token may begin with 00 itself (1 in 256)
			forged = "ff" + token[2:]
		}
		for _, bad := range []string{"", forged} {
			if _, err := w.svc.Device(w.ctx, bad); code(err) != tongban.EUnauthorized {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		device, err := w.svc.Device(w.ctx, token)
		if err != nil || device.ID != dev.ID {
			t.Fatalf("device: %+v %v", device, err)
		}

		// The visit was a day ago: the device shows nothing now.
		if cur, err := w.svc.CurrentEncounter(w.ctx, device); err != nil || cur != nil {
			t.Fatalf("a day-old visit offered: %+v %v", cur, err)
		}
		w.clock.Set(w.visit.At.Add(10 * time.Minute))
		cur, err := w.svc.CurrentEncounter(w.ctx, device)
		if err != nil || cur == nil || cur.Event.ID != w.visit.ID || cur.Case.ID != w.inReview.ID || cur.ClerkName != tongban.MaskName(w.clerk.Name) {
			t.Fatalf("current encounter = %+v, %v", cur, err)
		}
		enc := strconv.FormatInt(w.visit.ID, 10)
		if _, err := w.svc.RateAtWindow(w.ctx, device, "case", rating.Input{Level: 5}); code(err) != tongban.EConflict {
			t.Errorf("the device rating the case, not the visit: %v", err)
		}
		if _, err := w.svc.RateAtWindow(w.ctx, device, enc, rating.Input{Level: tongban.RatingDissatisfied}); code(err) != tongban.EInvalid || field(err) != "reasons" {
			t.Errorf("a 差评 without a reason: %v", err)
		}
		if _, err := w.svc.RateAtWindow(w.ctx, device, enc, rating.Input{Level: 5, Indicators: map[string]tongban.RatingLevel{"平台操作": 5}}); code(err) != tongban.EInvalid || field(err) != "indicators" {
			t.Errorf("an online indicator on the window's device: %v", err)
		}
		got, err := w.svc.RateAtWindow(w.ctx, device, enc, rating.Input{Level: tongban.RatingVerySatisfied,
			Indicators: map[string]tongban.RatingLevel{"服务态度": 5}})
		if err != nil {
			t.Fatal(err)
		}
		if r := got.Rating; r.Channel != tongban.RatingWindowDevice || r.RaterID != w.applicant.ID || r.OrgID != w.window.ID || r.Encounter != enc {
			t.Errorf("rated = %+v; want window_device, by the applicant, for the window", r)
		}
		if _, err := w.svc.RateAtWindow(w.ctx, device, enc, rating.Input{Level: 4}); code(err) != tongban.EConflict {
			t.Errorf("rating it twice: %v", err)
		}
		if cur, _ := w.svc.CurrentEncounter(w.ctx, device); cur != nil {
			t.Errorf("a rated visit still offered: %+v", cur)
		}
		if c := w.counts(w.window.ID); c.Rated != 1 || c.Good != 1 {
			t.Errorf("the window's counts: %+v", c)
		}

		// Revoked: refused from then on.
		if err := w.svc.RevokeDevice(w.ctx, as(w.otherAdmin), dev.ID); code(err) != tongban.EForbidden {
			t.Errorf("another department revoking: %v", err)
		}
		if err := w.svc.RevokeDevice(w.ctx, as(w.clerk), dev.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Device(w.ctx, token); code(err) != tongban.EUnauthorized {
			t.Errorf("a revoked device: %v", err)
		}
		if ds, err := w.svc.Devices(w.ctx, as(w.clerk), []int64{w.window.ID}); err != nil || len(ds) != 1 || ds[0].RevokedAt.IsZero() {
			t.Errorf("devices = %+v, %v", ds, err)
		}
	})
}
