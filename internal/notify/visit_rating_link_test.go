package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// visitEvent commits a case event of u's case as the workflow announces
// it, with the event's id and whether it was an in-person visit.
func (w *world) visitEvent(u *tongban.User, number string, id int64, action tongban.CaseAction, to tongban.CaseState, visit bool) {
	w.t.Helper()
	a := workflow.CaseAnnouncement{Number: number, EventID: id, Visit: visit, Action: action, To: to, ItemName: "食品经营许可",
		OrgID: w.dept.ID, UserID: u.ID, At: w.clock.Now()}
	w.must(outbox.Append(w.ctx, w.st, "case."+string(action), "case:"+number,
		outbox.Scope{RegionCode: w.dept.RegionCode, OrgID: w.dept.ID}, w.clock.Now(), a))
}

// visitInvites are the texts to 张三's proved phone inviting a visit's rating.
func (w *world) visitInvites() []string {
	var out []string
	for _, x := range w.texts() {
		if x[0] == "13800138000" && strings.Contains(x[1], "一次一评") {
			out = append(out, x[1])
		}
	}
	return out
}

// tokenIn is the token of the first rating link in a text, "" if none.
func tokenIn(text string) string {
	_, after, ok := strings.Cut(text, "https://ga.example.cn"+rating.LinkPath)
	if !ok {
		return ""
	}
	end := strings.IndexFunc(after, func(r rune) bool { return r > 127 || r == ' ' })
	if end >= 0 {
		after = after[:end]
	}
	return after
}

// Each visit (一次一评) gets its own 评价邀请 by SMS, after the visit and in
// daytime only, with a signed link naming that visit (channel 短信); an
// event that is not a visit gets none. The link is refused once altered
// or expired.
func TestVisitRatingInvitationBySMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		links := &rating.Links{Key: []byte("a key derived from the platform secret"), Clock: w.clock}
		w.svc.RatingLink = func(number, encounter string) string {
			return "https://ga.example.cn" + rating.LinkPath + links.Sign(number, encounter, tongban.RatingSMS)
		}
		cst := time.FixedZone("CST", 8*3600)
		number := "511602000000-20260302-000021"

		// A counter submission at 10:00: a visit, texted at once.
		w.clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, cst))
		w.visitEvent(w.zhang, number, 41, tongban.ActionSubmit, tongban.CaseSubmitted, true)
		// Acceptance by the back office is no visit: no invitation.
		w.visitEvent(w.zhang, number, 42, tongban.ActionAccept, tongban.CaseAccepted, false)
		w.run()
		invites := w.visitInvites()
		if len(invites) != 1 || !strings.Contains(invites[0], number) || !strings.Contains(invites[0], "提交") {
			t.Fatalf("invitations after the counter visit: %q", invites)
		}
		l, err := links.Verify(tokenIn(invites[0]))
		if err != nil {
			t.Fatalf("the link in %q: %v", invites[0], err)
		}
		if l.Number != number || l.Encounter != "41" || l.Channel != tongban.RatingSMS {
			t.Errorf("the link names %+v; want the visit 41 of %s by SMS", l, number)
		}

		// A pickup at 21:30, after the daytime hours: queued for 08:00.
		w.clock.Set(time.Date(2026, 3, 5, 21, 30, 0, 0, cst))
		w.visitEvent(w.zhang, number, 57, tongban.ActionDeliver, tongban.CaseClosed, true)
		w.run()
		if n := len(w.visitInvites()); n != 1 {
			t.Fatalf("texted at night: %d invitations", n)
		}
		w.clock.Set(time.Date(2026, 3, 6, 8, 0, 0, 0, cst))
		w.run()
		invites = w.visitInvites()
		if len(invites) != 2 || !strings.Contains(invites[1], "送达") {
			t.Fatalf("invitations after 08:00: %q", invites)
		}
		pickup := tokenIn(invites[1])
		if l, err := links.Verify(pickup); err != nil || l.Encounter != "57" {
			t.Fatalf("the pickup's link: %+v %v", l, err)
		}

		// Each visit's invitation is its own inbox entry.
		ns, err := w.st.Notifications(w.ctx, w.zhang.ID, false, 50, 0)
		w.must(err)
		visits := map[string]bool{}
		for _, n := range ns {
			if n.Category == notify.CategoryRating {
				visits[n.Subject] = true
			}
		}
		if !visits["rating:case:"+number+":visit:41"] || !visits["rating:case:"+number+":visit:57"] {
			t.Errorf("inbox rating entries: %v", visits)
		}

		// Altered (another visit's id under the same signature) or expired:
		// refused, naming the link.
		_, sig, _ := strings.Cut(pickup, ".")
		other := links.Sign(number, "41", tongban.RatingSMS)
		otherPayload, _, _ := strings.Cut(other, ".")
		if _, err := links.Verify(otherPayload + "." + sig); err == nil || !strings.Contains(err.Error(), "评价链接无效") {
			t.Errorf("an altered link: %v", err)
		}
		w.clock.Set(time.Date(2026, 4, 6, 8, 0, 0, 0, cst))
		if _, err := links.Verify(pickup); err == nil || !strings.Contains(err.Error(), "过期") {
			t.Errorf("an expired link: %v", err)
		}
	})
}
