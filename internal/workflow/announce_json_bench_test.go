package workflow_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/workflow"
)

var benchAnnouncement = workflow.CaseAnnouncement{Number: "202612050001", Seq: 1, EventID: 123456, Action: "submit",
	To: "submitted", ListingID: 4321, ItemName: "食品经营许可（延续）", OrgID: 77, ActorRole: "applicant",
	Channel: "online", Materials: []string{"m1", "m2", "m3"}, UserID: 9876, At: time.Date(2026, 12, 5, 8, 30, 0, 123456789, time.UTC)}

// The announcement's own encoder against encoding/json's, as outbox.Append
// calls each (go test -bench AnnouncementJSON -benchmem).
func BenchmarkAnnouncementJSON(b *testing.B) {
	b.Run("AppendJSON", func(b *testing.B) {
		for b.Loop() {
			if _, err := benchAnnouncement.AppendJSON(make([]byte, 0, 512)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(&benchAnnouncement); err != nil {
				b.Fatal(err)
			}
		}
	})
}
