package calendar

import (
	"slices"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

func TestSeedShape(t *testing.T) {
	days, years := Seed()
	if !slices.Equal(years, []int{2024, 2025, 2026}) {
		t.Fatalf("years = %v", years)
	}
	perYear := map[int]int{}
	for _, e := range days {
		if !slices.Contains(years, e.Date.Year()) {
			t.Errorf("%s lies outside the loaded years", e.Date)
		}
		// Only entries that change the default are listed.
		if (e.Kind == Holiday) == e.Date.IsWeekend() {
			t.Errorf("%s %s does not change the default", e.Date, e.Kind)
		}
		perYear[e.Date.Year()]++
	}
	for _, y := range years {
		if perYear[y] < 10 {
			t.Errorf("%d has only %d entries", y, perYear[y])
		}
	}
	// Seed hands out copies.
	days[0].Name = "x"
	if again, _ := Seed(); again[0].Name == "x" {
		t.Error("Seed returned shared storage")
	}
}

// The facts named by the task, checked one by one.
func TestSeedKnownFacts(t *testing.T) {
	s := Default()
	off := []string{
		"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
		"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
		"2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05",
		"2026-01-01", "2026-01-02", "2026-01-03",
	}
	worked := []string{"2025-09-28", "2025-10-11", "2026-02-14", "2026-02-28", "2025-04-27", "2026-01-04"}
	for _, ds := range off {
		if w, p := s.isWorkday(d(t, ds)); w || p {
			t.Errorf("%s: work=%v provisional=%v, want an official day off", ds, w, p)
		}
	}
	for _, ds := range worked {
		if w, p := s.isWorkday(d(t, ds)); !w || p {
			t.Errorf("%s: work=%v provisional=%v, want an official make-up workday", ds, w, p)
		}
	}
}

// lunarNames maps lunar-go's festival names onto the official ones the seed uses.
var lunarNames = map[string]string{"元旦节": "元旦", "国庆中秋": "国庆节、中秋节"}

// TestSeedAgreesWithLunarGo cross-checks every day of 2024–2026 in both
// directions against an independent copy of the State Council notices.
func TestSeedAgreesWithLunarGo(t *testing.T) {
	s := Default()
	days, years := Seed()
	listed := map[Date]bool{}
	for _, y := range years {
		l := HolidayUtil.GetHolidaysByYear(y)
		if l.Len() == 0 {
			t.Fatalf("lunar-go has no data for %d", y)
		}
		for e := l.Front(); e != nil; e = e.Next() {
			h := e.Value.(*HolidayUtil.Holiday)
			date := d(t, h.GetDay())
			listed[date] = true
			work, prov := s.isWorkday(date)
			if prov || work != h.IsWork() {
				t.Errorf("%s: lunar-go work=%v, seed work=%v provisional=%v", date, h.IsWork(), work, prov)
			}
			name := h.GetName()
			if n, ok := lunarNames[name]; ok {
				name = n
			}
			entry, ok := s.Lookup(date)
			switch {
			case !h.IsWork() && date.IsWeekend():
				// A weekend holiday is off anyway; the seed leaves it out.
				if ok {
					t.Errorf("%s: weekend holiday listed in seed", date)
				}
			case !ok:
				t.Errorf("%s (%s) missing from seed", date, h)
			case entry.Name != name:
				t.Errorf("%s: seed name %q, lunar-go %q", date, entry.Name, name)
			}
		}
	}
	// Vice versa: the seed lists nothing lunar-go does not.
	for _, e := range days {
		if !listed[e.Date] {
			t.Errorf("seed lists %s %s, unknown to lunar-go", e.Date, e.Kind)
		}
	}
	// And every unlisted day of the loaded years follows the weekend rule.
	for dd := NewDate(2024, time.January, 1); dd.Year() <= 2026; dd = dd.AddDays(1) {
		if listed[dd] {
			continue
		}
		if w, _ := s.isWorkday(dd); w == dd.IsWeekend() {
			t.Errorf("%s: work=%v on an ordinary %v", dd, w, dd.Weekday())
		}
	}
}
