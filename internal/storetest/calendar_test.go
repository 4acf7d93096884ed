package storetest

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

var (
	days2025 = []tongban.CalendarDay{
		{Date: "2025-09-28", Kind: "workday", Name: "国庆节、中秋节"},
		{Date: "2025-10-01", Kind: "holiday", Name: "国庆节、中秋节"},
		{Date: "2025-10-11", Kind: "workday", Name: "国庆节、中秋节"},
	}
	days2026 = []tongban.CalendarDay{
		{Date: "2026-01-01", Kind: "holiday", Name: "元旦"},
		{Date: "2026-02-14", Kind: "workday", Name: "春节"},
	}
)

func TestCalendarReplaceAndRead(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		if days, err := st.CalendarDays(ctx); err != nil || len(days) != 0 {
			t.Fatalf("fresh CalendarDays = %v, %v", days, err)
		}
		if years, err := st.CalendarYears(ctx); err != nil || len(years) != 0 {
			t.Fatalf("fresh CalendarYears = %v, %v", years, err)
		}
		// Written out of order: reads come back sorted.
		if err := st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2026, LoadedAt: t0, Source: "seed"}, days2026); err != nil {
			t.Fatal(err)
		}
		if err := st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2025, LoadedAt: t0, Source: "seed"}, days2025); err != nil {
			t.Fatal(err)
		}
		got, err := st.CalendarDays(ctx)
		if want := append(append([]tongban.CalendarDay{}, days2025...), days2026...); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("CalendarDays = %v, %v; want %v", got, err, want)
		}
		years, err := st.CalendarYears(ctx)
		if err != nil || len(years) != 2 || years[0].Year != 2025 || years[1].Year != 2026 || years[0].Source != "seed" {
			t.Fatalf("CalendarYears = %+v, %v", years, err)
		}
		if !years[0].LoadedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("LoadedAt = %v, want %v", years[0].LoadedAt, t0)
		}

		// Replacing 2025 drops its old entries and leaves 2026 alone.
		later := t0.Add(time.Hour).Truncate(time.Microsecond) // both engines keep microseconds
		repl := []tongban.CalendarDay{{Date: "2025-10-08", Kind: "holiday", Name: "国庆节"}}
		if err := st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2025, LoadedAt: later, Source: "page"}, repl); err != nil {
			t.Fatal(err)
		}
		got, _ = st.CalendarDays(ctx)
		if want := append(append([]tongban.CalendarDay{}, repl...), days2026...); !reflect.DeepEqual(got, want) {
			t.Errorf("after replace: %v, want %v", got, want)
		}
		years, _ = st.CalendarYears(ctx)
		if len(years) != 2 || years[0].Source != "page" || !years[0].LoadedAt.Equal(later) {
			t.Errorf("after replace years = %+v", years)
		}
	})
}

// A bad entry writes nothing: the year keeps its old entries and load time.
func TestCalendarReplaceIsAtomic(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		if err := st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2025, LoadedAt: t0, Source: "seed"}, days2025); err != nil {
			t.Fatal(err)
		}
		bad := []struct {
			name  string
			year  int
			days  []tongban.CalendarDay
			field string
		}{
			{"other year", 2025, []tongban.CalendarDay{{Date: "2025-10-01", Kind: "holiday", Name: "x"}, {Date: "2026-01-01", Kind: "holiday", Name: "元旦"}}, "date"},
			{"short date", 2025, []tongban.CalendarDay{{Date: "2025-1-1", Kind: "holiday", Name: "元旦"}}, "date"},
			{"bad kind", 2025, []tongban.CalendarDay{{Date: "2025-10-01", Kind: "off", Name: "x"}}, "kind"},
			{"duplicate", 2025, []tongban.CalendarDay{{Date: "2025-10-02", Kind: "holiday", Name: "x"}, {Date: "2025-10-02", Kind: "holiday", Name: "x"}}, "date"},
			{"bad year", 0, nil, "year"},
		}
		for _, b := range bad {
			err := st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: b.year, LoadedAt: t0.Add(time.Hour), Source: "bad"}, b.days)
			if e := tongban.AsError(err); e.Code != tongban.EInvalid || e.Field != b.field {
				t.Errorf("%s: err = %v, want invalid %s", b.name, err, b.field)
			}
		}
		got, _ := st.CalendarDays(ctx)
		years, _ := st.CalendarYears(ctx)
		if !reflect.DeepEqual(got, days2025) || len(years) != 1 || years[0].Source != "seed" {
			t.Errorf("after failed replaces: %v, %+v", got, years)
		}
	})
}

// Inside a transaction that fails later, the replace rolls back with it.
func TestCalendarReplaceJoinsTransaction(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		err := st.Transact(ctx, func(tx tongban.Store) error {
			if err := tx.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2025, LoadedAt: t0}, days2025); err != nil {
				return err
			}
			return tongban.Errorf(tongban.EConflict, "later step fails")
		})
		if !tongban.IsCode(err, tongban.EConflict) {
			t.Fatalf("err = %v", err)
		}
		if days, _ := st.CalendarDays(ctx); len(days) != 0 {
			t.Errorf("rolled-back replace left %v", days)
		}
		if years, _ := st.CalendarYears(ctx); len(years) != 0 {
			t.Errorf("rolled-back replace left years %v", years)
		}
	})
}

// Concurrent replaces of one year never collide: the last one wins whole.
func TestCalendarConcurrentReplace(t *testing.T) {
	Each(t, func(t *testing.T, d sqldb.Dialect) {
		st, ctx := Open(t, d), context.Background()
		variants := [][]tongban.CalendarDay{days2025, days2025[:1], days2025[1:]}
		var wg sync.WaitGroup
		errs := make(chan error, 12)
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- st.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: 2025, LoadedAt: t0, Source: "race"}, variants[i%3])
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent replace: %v", err)
			}
		}
		got, _ := st.CalendarDays(ctx)
		whole := false
		for _, v := range variants {
			whole = whole || reflect.DeepEqual(got, v)
		}
		if !whole {
			t.Errorf("after the race the year holds %v, not one whole variant", got)
		}
	})
}
