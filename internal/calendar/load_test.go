package calendar_test

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// now is the day these tests pretend it is: 2027's notice is not out yet.
var now = time.Date(2026, 11, 22, 10, 0, 0, 0, calendar.Location())

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSeedStoreThenLoad(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := storetest.Open(t, d), context.Background()
		seeded, err := calendar.SeedStore(ctx, st, now)
		if err != nil || !seeded {
			t.Fatalf("SeedStore = %v, %v", seeded, err)
		}
		s, years, err := calendar.Load(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		def := calendar.Default()
		if !reflect.DeepEqual(s.Days(), def.Days()) || !reflect.DeepEqual(s.Years(), []int{2024, 2025, 2026}) {
			t.Errorf("loaded schedule differs from the seed: years %v", s.Years())
		}
		if len(years) != 3 || years[0].Source != calendar.SeedSource {
			t.Errorf("years = %+v", years)
		}
		// A database with years is the admins'; seeding again does nothing.
		if seeded, err := calendar.SeedStore(ctx, st, now.Add(time.Hour)); err != nil || seeded {
			t.Errorf("second SeedStore = %v, %v", seeded, err)
		}
		if _, again, _ := calendar.Load(ctx, st); !again[0].LoadedAt.Equal(years[0].LoadedAt) {
			t.Error("second SeedStore rewrote the years")
		}
		if got := s.Missing(now); !reflect.DeepEqual(got, []int{2027}) {
			t.Errorf("Missing(2026-11-22) = %v, want [2027]", got)
		}
		if got := s.Missing(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
			t.Errorf("Missing(2025) = %v, want none", got)
		}
	})
}

func TestHolderReloadAndRefresh(t *testing.T) {
	st, ctx := storetest.Open(t, sqldb.SQLite), context.Background()
	h := calendar.NewHolder(nil)
	if _, prov := h.Current().IsWorkday(now); !prov {
		t.Error("an empty holder must answer provisionally")
	}
	if _, err := calendar.SeedStore(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(ctx, st); err != nil {
		t.Fatal(err)
	}
	if changed, err := h.Refresh(ctx, st); err != nil || changed {
		t.Errorf("Refresh with nothing new = %v, %v", changed, err)
	}
	// Another server loads 2027: this one sees it at its next refresh.
	err := st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2027, LoadedAt: now, Source: "elsewhere"},
		[]tongban.CalendarDay{{Date: "2027-01-01", Kind: "holiday", Name: "元旦"}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Current().Loaded(2027) {
		t.Fatal("schedule changed before a refresh")
	}
	if changed, err := h.Refresh(ctx, st); err != nil || !changed || !h.Current().Loaded(2027) {
		t.Errorf("Refresh after an edit = %v, %v; 2027 loaded %v", changed, err, h.Current().Loaded(2027))
	}
	if s, _ := h.Schedule(ctx); s != h.Current() {
		t.Error("Schedule must return Current")
	}
}

func TestWatchPicksUpEdits(t *testing.T) {
	st := storetest.Open(t, sqldb.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := calendar.NewHolder(nil)
	done := make(chan struct{})
	go func() { h.Watch(ctx, st, time.Millisecond, discard()); close(done) }()
	if _, err := calendar.SeedStore(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	for !h.Current().Loaded(2026) {
		time.Sleep(time.Millisecond) // the test's own timeout bounds this
	}
	cancel()
	<-done
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

const good2027 = "date,kind,name\n2027-01-01,holiday,元旦\n\n2027-02-06,workday,春节\n2027-02-08,holiday,春节\n"

func editor(t *testing.T, d sqldb.Dialect) (*calendar.Editor, tongban.Store) {
	t.Helper()
	st := storetest.Open(t, d)
	if _, err := calendar.SeedStore(context.Background(), st, now); err != nil {
		t.Fatal(err)
	}
	h := calendar.NewHolder(nil)
	if err := h.Reload(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return &calendar.Editor{Store: st, Clock: tongban.NewManualClock(now), Authz: identity.Authorizer{Orgs: st}, Holder: h}, st
}

var admin = &tongban.User{ID: 7, Name: "系统管理员", Kind: tongban.UserStaff, Roles: []tongban.RoleGrant{{Role: tongban.RoleSysAdmin, OrgID: 1}}}

func TestEditorImportsAYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ed, st := editor(t, d)
		ctx := context.Background()
		before := ed.Holder.Current().Due(date(t, "2026-12-30").Time(), 5, nil)
		if !before.Provisional {
			t.Fatal("a due date into 2027 must be provisional before the import")
		}
		days, err := ed.ImportCSV(ctx, 2027, strings.NewReader(good2027), "页面导入 2027.csv", identity.Request{Actor: admin, IP: "10.0.0.1"})
		if err != nil || len(days) != 3 {
			t.Fatalf("ImportCSV = %d days, %v", len(days), err)
		}
		cur := ed.Holder.Current()
		if !cur.Loaded(2027) || len(cur.Missing(now)) != 0 {
			t.Errorf("after import: loaded %v, missing %v", cur.Years(), cur.Missing(now))
		}
		after := cur.Due(date(t, "2026-12-30").Time(), 5, nil)
		// 12-31, (01-01 元旦), 01-04, 01-05, 01-06, 01-07.
		if after.Provisional || after.Due != date(t, "2027-01-07") {
			t.Errorf("due after import = %+v, want 2027-01-07, not provisional", after)
		}
		entries, _ := audit.Entries(ctx, st, 0, 100)
		last := entries[len(entries)-1]
		if last.Action != tongban.AuditCalendarImport || last.Object != "calendar:2027" || last.ActorID != 7 ||
			!strings.Contains(last.Detail, "放假 2 天、调休上班 1 天") || last.IP != "10.0.0.1" {
			t.Errorf("audit entry = %+v", last)
		}
	})
}

func TestEditorRefusesBadInput(t *testing.T) {
	ed, st := editor(t, sqldb.SQLite)
	ctx := context.Background()
	clerk := &tongban.User{ID: 8, Kind: tongban.UserStaff, Roles: []tongban.RoleGrant{{Role: tongban.RoleClerk, OrgID: 1}}}
	tests := []struct {
		name, csv string
		year      int
		actor     *tongban.User
		code      tongban.ErrorCode
		field     string
		msg       string
	}{
		{"not an admin", good2027, 2027, clerk, tongban.EForbidden, "", ""},
		{"year out of range", good2027, 1999, admin, tongban.EInvalid, "year", "年份应在"},
		// Row 4, not 3: the blank line counts, as in an editor.
		{"another year's day", "date,kind,name\n2027-01-01,holiday,元旦\n\n2026-12-31,holiday,元旦\n", 2027, admin, tongban.EInvalid, "date", "第4行 date: 2026-12-31 不在 2027 年内"},
		{"bad date", "date,kind,name\n2027-02-30,holiday,春节\n", 2027, admin, tongban.EInvalid, "date", "第2行 date"},
		{"no holiday", "date,kind,name\n2027-02-06,workday,春节\n", 2027, admin, tongban.EInvalid, "file", "文件中没有 2027 年的放假日期"},
		{"too big", "date,kind,name\n" + strings.Repeat("#", calendar.MaxCSVBytes), 2027, admin, tongban.EInvalid, "file", "文件不能超过"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ed.ImportCSV(ctx, tt.year, strings.NewReader(tt.csv), "test", identity.Request{Actor: tt.actor})
			e := tongban.AsError(err)
			if e.Code != tt.code || e.Field != tt.field || !strings.HasPrefix(e.Message, tt.msg) {
				t.Errorf("err = %v; want %s [%s] %q…", err, tt.code, tt.field, tt.msg)
			}
		})
	}
	if years, _ := st.CalendarYears(ctx); len(years) != 3 {
		t.Errorf("refused imports stored years: %v", years)
	}
	// Days from JSON go through the same rules, numbered by entry.
	err := ed.ImportYear(ctx, 2027, []calendar.Day{{Date: date(t, "2027-01-01"), Kind: calendar.Holiday, Name: "元旦"},
		{Date: date(t, "2027-01-04"), Kind: calendar.Workday, Name: "元旦"}}, "api", identity.Request{Actor: admin})
	if e := tongban.AsError(err); e.Field != "kind" || !strings.HasPrefix(e.Message, "第2条") {
		t.Errorf("workday on a Monday: %v", err)
	}
}

func TestProblemsSplitsJoinedErrors(t *testing.T) {
	_, err := calendar.ParseYearCSV(strings.NewReader("date,kind,name\n2026-01-01,holiday,元旦\n2026-01-02,holiday,元旦\n2027-01-01,holiday,元旦\n"), 2027)
	ps := calendar.Problems(err)
	if len(ps) != 2 || !strings.HasPrefix(ps[0].Message, "第2行") || !strings.HasPrefix(ps[1].Message, "第3行") {
		t.Errorf("Problems = %v", ps)
	}
	if calendar.Problems(nil) != nil {
		t.Error("Problems(nil) must be empty")
	}
}

func TestExplain(t *testing.T) {
	s := calendar.Default()
	for _, tt := range []struct{ date, want string }{
		{"2025-09-28", "是（调休上班：国庆节、中秋节）"},
		{"2025-10-08", "否（放假：国庆节、中秋节）"},
		{"2025-10-04", "否（星期六）"},
		{"2025-10-09", "是（星期四）"},
		{"2027-01-01", "是（星期五；暂定：2027 年节假日安排未导入）"},
	} {
		if got := s.Explain(date(t, tt.date)).String(); got != tt.want {
			t.Errorf("Explain(%s) = %s, want %s", tt.date, got, tt.want)
		}
	}
	if got := calendar.NotLoaded(2027, 2028); got != "2027、2028 年节假日安排未导入" {
		t.Errorf("NotLoaded = %q", got)
	}
}
