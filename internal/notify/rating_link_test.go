package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// The rating invitation at 办结 carries the case's signed rating link (短信)
// when the platform gives one; other messages do not.
func TestRatingInvitationCarriesTheSignedLink(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	var asked []string
	w.svc.RatingLink = func(number string) string {
		asked = append(asked, number)
		return "https://ga.example.cn/r/token-of-" + number
	}
	w.clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	number := "511602000000-20260302-000009"
	w.caseEvent(w.zhang, number, tongban.ActionAccept, tongban.CaseAccepted, "")
	w.caseEvent(w.zhang, number, tongban.ActionClose, tongban.CaseClosed, "")
	w.run()
	texts := w.texts()
	var invite, others []string
	for _, x := range texts {
		if strings.Contains(x[1], "评价") {
			invite = append(invite, x[1])
		} else {
			others = append(others, x[1])
		}
	}
	if len(invite) != 1 || !strings.Contains(invite[0], "https://ga.example.cn/r/token-of-"+number) {
		t.Fatalf("invitation SMS: %v", invite)
	}
	for _, x := range others {
		if strings.Contains(x, "/r/") {
			t.Errorf("a message other than the invitation carries the link: %s", x)
		}
	}
	if len(asked) != 1 || asked[0] != number {
		t.Errorf("links asked for %v; want the closed case once", asked)
	}
}
