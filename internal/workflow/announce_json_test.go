package workflow_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// A case announcement encodes itself byte for byte as encoding/json
// would: every field, the omitted empty ones, and strings with what
// encoding/json escapes (quotes, backslashes, control characters, HTML's
// <, > and &, U+2028, U+2029, invalid UTF-8).
func TestAnnouncementJSONAsEncodingJSON(t *testing.T) {
	pieces := []string{"", "社会保障卡申领", "a", `"`, `\`, "<b>", "&", "\n", "\r\t", "\b\f", "\x00", "\x1f", "\x7f",
		"\u2028", "\u2029", "\xff", "\xe4\xb8", "𠀀", "é", "'", "/", " ", "2026-12-05"}
	rnd := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b bytes.Buffer
		for range rnd.IntN(4) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		return b.String()
	}
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("", -90*60)}
	for i := range 3000 {
		a := workflow.CaseAnnouncement{Number: text(), Seq: rnd.IntN(5), Visit: rnd.IntN(2) == 0,
			Action: tongban.CaseAction(text()), From: tongban.CaseState(text()), To: tongban.CaseState(text()),
			Step: rnd.IntN(3) - 1, ListingID: rnd.Int64() - rnd.Int64(), ItemName: text(), OrgID: rnd.Int64N(1000),
			ActorRole: tongban.Role(text()), Channel: tongban.Channel(text()), Reason: text(), DueDate: text(),
			UserID: rnd.Int64N(1 << 40),
			At: time.Date(1990+rnd.IntN(60), time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), rnd.IntN(24), rnd.IntN(60),
				rnd.IntN(60), rnd.IntN(3)*rnd.IntN(1e9), zones[rnd.IntN(len(zones))])}
		if rnd.IntN(2) == 0 {
			a.EventID, a.ActorOrg = rnd.Int64N(1<<50), rnd.Int64N(1000)
		}
		switch rnd.IntN(3) {
		case 0:
			a.Materials = []string{}
		case 1:
			for range 1 + rnd.IntN(3) {
				a.Materials = append(a.Materials, text())
			}
		}
		want, err := json.Marshal(&a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.AppendJSON(nil)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("announcement %d:\n got %s (%v)\nwant %s", i, got, err, want)
		}
	}
	// A year encoding/json refuses is refused the same way.
	a := workflow.CaseAnnouncement{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := a.AppendJSON(nil); err == nil {
		t.Error("an announcement dated in year 10000 encoded; encoding/json refuses it")
	}
}
