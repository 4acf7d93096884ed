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
	w.svc.RatingLink = func(number, encounter string) string {
		asked = append(asked, number+"/"+encounter)
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
	if len(asked) != 1 || asked[0] != number+"/case" {
		t.Errorf("links asked for %v; want the closed case once", asked)
	}
}

// 不予受理 ends the case, so it too invites the rating with the signed link.
func TestRejectionInvitesTheRatingWithTheLink(t *testing.T) {
	w := newWorld(t, sqldb.SQLite)
	w.svc.RatingLink = func(number, _ string) string { return "https://ga.example.cn/r/token-of-" + number }
	w.clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	number := "511602000000-20260302-000010"
	w.caseEvent(w.zhang, number, tongban.ActionReject, tongban.CaseRejected, "申请事项不属于本机关职权范围")
	w.run()
	var invite []string
	for _, x := range w.texts() {
		if strings.Contains(x[1], "请对本次政务服务进行评价") {
			invite = append(invite, x[1])
		}
	}
	if len(invite) != 1 || !strings.Contains(invite[0], "不予受理") || !strings.Contains(invite[0], "https://ga.example.cn/r/token-of-"+number) {
		t.Fatalf("invitation after 不予受理: %v", invite)
	}
}
