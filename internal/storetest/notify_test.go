package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// A batch of inbox entries (the notifications consumer's, one statement per
// 500): each (user, subject) ends as its last entry of the batch, unread;
// an entry already holding its event stays as it is (read stays read); a
// batch over one statement's rows is written whole.
func TestUpsertNotificationsBatch(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		u := citizen(t)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		entry := func(subject, event, title string) *tongban.Notification {
			return &tongban.Notification{UserID: u.ID, Subject: subject, Category: "case", Title: title, Body: title,
				EventID: event, CreatedAt: t0, UpdatedAt: t0}
		}
		if err := st.UpsertNotifications(ctx, entry("case:1", "e1", "已提交"), entry("case:2", "e2", "已提交")); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkRead(ctx, u.ID, 0, t0); err != nil {
			t.Fatal(err)
		}
		// case:1 twice in one batch (its last entry counts); case:2 again
		// with the event it holds (a replay: stays read).
		err := st.UpsertNotifications(ctx, entry("case:1", "e3", "已受理"), entry("case:2", "e2", "已提交"),
			entry("case:1", "e4", "已办结"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.Notifications(ctx, u.ID, false, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		bySubject := map[string]*tongban.Notification{}
		for _, n := range got {
			bySubject[n.Subject] = n
		}
		if n := bySubject["case:1"]; len(got) != 2 || n == nil || n.Title != "已办结" || n.EventID != "e4" || n.Read {
			t.Errorf("case:1 is %+v of %d entries; want its last entry (已办结, e4), unread", n, len(got))
		}
		if n := bySubject["case:2"]; n == nil || !n.Read {
			t.Errorf("case:2 is %+v; want it still read (its event was already there)", n)
		}
		var many []*tongban.Notification
		for i := range 1203 {
			many = append(many, entry(fmt.Sprintf("case:%d", 100+i), fmt.Sprintf("m%d", i), "已提交"))
		}
		if err := st.UpsertNotifications(ctx, many...); err != nil {
			t.Fatal(err)
		}
		if n, err := st.CountUnread(ctx, u.ID); err != nil || n != 1204 {
			t.Errorf("unread %d (%v); want 1,203 new entries and case:1", n, err)
		}
	})
}
