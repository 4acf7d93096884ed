package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

// TestDataUsesCounted: CountDataUses counts the uses its filter names, for
// every kind (the staff kinds through their own index, migration 00064, the
// others without), by subject, actor, kind and time, alone or together.
func TestDataUsesCounted(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		var users []*tongban.User
		for i := range 3 {
			u := &tongban.User{Kind: tongban.UserStaff, Name: fmt.Sprintf("人员%d", i), Username: fmt.Sprintf("user%d", i),
				PasswordHash: "h", CreatedAt: t0}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		kinds := []tongban.DataUseKind{tongban.DataUseStaffReveal, tongban.DataUseCounterLookup, tongban.DataUseLicense,
			tongban.DataUseSharedLookup, tongban.DataUseLibrary}
		var written []*tongban.DataUse
		for i := range 60 {
			u := &tongban.DataUse{SubjectID: users[i%3].ID, ActorID: users[(i/3)%3].ID, Kind: kinds[(i/2)%len(kinds)],
				At: t0.Add(time.Duration(i) * time.Minute), ActorName: "窗口", Resource: "id_number", Fields: []string{"id_number"}}
			written = append(written, u)
		}
		if err := st.RecordDataUses(ctx, written); err != nil {
			t.Fatal(err)
		}
		since := t0.Add(25 * time.Minute)
		checked := 0
		for _, subject := range []int64{0, users[0].ID, users[2].ID} {
			for _, actor := range []int64{0, users[1].ID, users[2].ID} {
				for _, kind := range append([]tongban.DataUseKind{""}, kinds...) {
					for _, s := range []time.Time{{}, since} {
						f := tongban.DataUseCount{SubjectID: subject, ActorID: actor, Kind: kind, Since: s}
						want := 0
						for _, u := range written {
							if (subject == 0 || u.SubjectID == subject) && (actor == 0 || u.ActorID == actor) &&
								(kind == "" || u.Kind == kind) && (s.IsZero() || u.At.After(s)) {
								want++
							}
						}
						n, err := st.CountDataUses(ctx, f)
						if err != nil || n != want {
							t.Fatalf("CountDataUses(%+v) = %d, %v; want %d", f, n, err, want)
						}
						if want > 0 {
							checked++
						}
					}
				}
			}
		}
		if checked < 50 {
			t.Fatalf("only %d filters matched any use: the fixture does not exercise the counts", checked)
		}
	})
}
