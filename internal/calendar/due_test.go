package calendar

import (
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	s := Default()
	tests := []struct {
		name        string
		accepted    string
		days        int
		want        string
		provisional bool
	}{
		// 2025 National Day + Mid-Autumn: 10-01..10-08 off, 09-28 and 10-11 worked.
		{"国庆: example", "2025-09-30", 5, "2025-10-14", false}, // 10-09, 10-10, 10-11(Sat), 10-13, 10-14
		{"国庆: first day after break", "2025-09-30", 1, "2025-10-09", false},
		{"国庆: make-up Saturday counts", "2025-09-30", 3, "2025-10-11", false},
		{"国庆: make-up Sunday before", "2025-09-26", 1, "2025-09-28", false},
		{"国庆: accepted on a holiday", "2025-10-03", 1, "2025-10-09", false},
		{"国庆: accepted on make-up day", "2025-10-11", 1, "2025-10-13", false},
		// 2026 Spring Festival: 02-15..02-23 off, 02-14 and 02-28 worked.
		{"春节: next day is make-up Saturday", "2026-02-13", 1, "2026-02-14", false},
		{"春节: jumps the break", "2026-02-13", 2, "2026-02-24", false},
		{"春节: ends on make-up Saturday", "2026-02-13", 6, "2026-02-28", false},
		{"春节: 20 working days", "2026-02-13", 20, "2026-03-19", false},
		{"春节: accepted on make-up Saturday", "2026-02-14", 1, "2026-02-24", false},
		// 2025 Labour Day: 05-01..05-05 off, 04-27 worked.
		{"劳动节: make-up Sunday", "2025-04-25", 1, "2025-04-27", false},
		{"劳动节: over the break", "2025-04-30", 1, "2025-05-06", false},
		{"劳动节: 3 days", "2025-04-29", 3, "2025-05-07", false},
		// 2026 New Year: 01-01..01-03 off, 01-04 (Sunday) worked.
		{"元旦: make-up Sunday", "2025-12-31", 1, "2026-01-04", false},
		{"元旦: across the year", "2025-12-30", 3, "2026-01-05", false},
		// Late December 2026 into unloaded 2027.
		{"2026 only", "2026-12-28", 3, "2026-12-31", false},
		{"into 2027", "2026-12-28", 5, "2027-01-04", true},          // 2027-01-01 guessed working
		{"from unloaded 2023", "2023-12-29", 1, "2024-01-02", true}, // counts 2023-12-30/31
		// 即办件
		{"即办件", "2025-10-01", 0, "2025-10-01", false},
		{"即办件 in unloaded year", "2027-02-06", 0, "2027-02-06", false},
		{"negative reads as 0", "2025-10-09", -3, "2025-10-09", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Due(at(t, tt.accepted), tt.days, nil)
			if got.Due.String() != tt.want || got.Provisional != tt.provisional || got.Paused {
				t.Errorf("Due(%s, %d) = %+v, want %s provisional=%v", tt.accepted, tt.days, got, tt.want, tt.provisional)
			}
			if tt.days >= 0 {
				if n, _ := s.WorkdaysBetween(at(t, tt.accepted), got.Due.Time()); n != tt.days {
					t.Errorf("WorkdaysBetween(accepted, due) = %d, want %d", n, tt.days)
				}
			}
		})
	}
}

func TestDueLateNightAcceptance(t *testing.T) {
	// 2025-09-30 23:30 in Beijing is 15:30 UTC; 2025-09-30 17:00 UTC is
	// already 10-01 in Beijing. Only the China date matters.
	s := Default()
	if got := s.Due(time.Date(2025, 9, 30, 15, 30, 0, 0, time.UTC), 1, nil).Due; got != d(t, "2025-10-09") {
		t.Errorf("got %s", got)
	}
	if got := s.Due(time.Date(2025, 10, 10, 17, 0, 0, 0, time.UTC), 1, nil).Due; got != d(t, "2025-10-13") {
		t.Errorf("accepted Saturday 01:00 in Beijing: got %s", got)
	}
}

func TestDueWithPauses(t *testing.T) {
	s := Default()
	p := func(from, to string) Pause {
		pp := Pause{From: at(t, from)}
		if to != "" {
			pp.To = at(t, to)
		}
		return pp
	}
	// Baseline: accepted 2025-09-30, 5 days → 2025-10-14.
	tests := []struct {
		name   string
		pauses []Pause
		want   string
		paused bool
	}{
		{"none", nil, "2025-10-14", false},
		{"same day costs nothing", []Pause{p("2025-10-09", "2025-10-09")}, "2025-10-14", false},
		{"one working day", []Pause{p("2025-10-09", "2025-10-10")}, "2025-10-15", false},
		{"make-up Saturday paused", []Pause{p("2025-10-10", "2025-10-12")}, "2025-10-15", false},
		{"stops 10-11 (make-up), 10-13, 10-14", []Pause{p("2025-10-10", "2025-10-14")}, "2025-10-17", false},
		{"inside the holiday", []Pause{p("2025-10-02", "2025-10-06")}, "2025-10-14", false},
		{"before acceptance", []Pause{p("2025-09-20", "2025-09-29")}, "2025-10-14", false},
		{"straddles acceptance: 10-09 stopped", []Pause{p("2025-09-29", "2025-10-09")}, "2025-10-15", false},
		{"after the due date", []Pause{p("2025-10-14", "2025-10-20")}, "2025-10-14", false},
		{"starts on the last day", []Pause{p("2025-10-13", "2025-10-16")}, "2025-10-17", false},
		{"two pauses add up", []Pause{p("2025-10-09", "2025-10-10"), p("2025-10-13", "2025-10-14")}, "2025-10-16", false},
		{"overlap not double counted", []Pause{p("2025-10-09", "2025-10-13"), p("2025-10-10", "2025-10-11")}, "2025-10-17", false},
		{"contiguous pauses", []Pause{p("2025-10-09", "2025-10-10"), p("2025-10-10", "2025-10-11")}, "2025-10-16", false},
		{"unsorted input", []Pause{p("2025-10-13", "2025-10-14"), p("2025-10-09", "2025-10-10")}, "2025-10-16", false},
		{"reversed is empty", []Pause{p("2025-10-13", "2025-10-09")}, "2025-10-14", false},
		{"still paused", []Pause{p("2025-10-10", "")}, "2025-10-14", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Due(at(t, "2025-09-30"), 5, tt.pauses)
			if got.Due.String() != tt.want || got.Paused != tt.paused || got.Provisional {
				t.Errorf("got %+v, want %s paused=%v", got, tt.want, tt.paused)
			}
		})
	}
}

func TestDuePauseIntoUnloadedYear(t *testing.T) {
	s := Default()
	// A stopped clock never asks the calendar, so pausing across 2027 is not
	// provisional as long as the days actually counted are loaded...
	got := s.Due(at(t, "2026-12-28"), 3, []Pause{{From: at(t, "2026-12-28"), To: at(t, "2027-01-10")}})
	if got.Due != d(t, "2027-01-13") || !got.Provisional {
		// ...but here counting resumes in 2027, so it is.
		t.Errorf("got %+v", got)
	}
	got = s.Due(at(t, "2026-12-20"), 3, []Pause{{From: at(t, "2026-12-22"), To: at(t, "2026-12-29")}})
	if got.Due != d(t, "2026-12-30") || got.Provisional {
		t.Errorf("got %+v", got)
	}
}

func TestDueClampsDays(t *testing.T) {
	s := Default()
	if a, b := s.Due(at(t, "2025-01-02"), MaxDays, nil), s.Due(at(t, "2025-01-02"), 1<<40, nil); a != b {
		t.Errorf("huge days not clamped: %v vs %v", a, b)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	s := Default()
	tests := []struct {
		a, b string
		want int
		prov bool
	}{
		{"2025-09-30", "2025-10-14", 5, false},
		{"2025-10-14", "2025-09-30", -5, false},
		{"2025-10-01", "2025-10-08", 0, false},
		{"2025-10-09", "2025-10-09", 0, false},
		{"2025-10-08", "2025-10-09", 1, false},
		{"2026-02-13", "2026-02-28", 6, false},
		{"2026-12-31", "2027-01-04", 2, true},
		{"2027-01-04", "2026-12-31", -2, true},
	}
	for _, tt := range tests {
		n, prov := s.WorkdaysBetween(at(t, tt.a), at(t, tt.b))
		if n != tt.want || prov != tt.prov {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d, %v", tt.a, tt.b, n, prov, tt.want, tt.prov)
		}
	}
}

func TestRemaining(t *testing.T) {
	s := Default()
	tests := []struct {
		now, due string
		want     int
		prov     bool
	}{
		{"2025-09-30", "2025-10-14", 5, false}, // acceptance day: the full limit
		{"2025-10-03", "2025-10-14", 5, false}, // holidays do not consume time
		{"2025-10-09", "2025-10-14", 4, false},
		{"2025-10-12", "2025-10-14", 2, false}, // Sunday
		{"2025-10-14", "2025-10-14", 0, false}, // due today
		{"2025-10-15", "2025-10-14", -1, false},
		{"2025-10-20", "2025-10-14", -4, false},
		{"2025-10-11", "2025-10-10", -1, false}, // make-up Saturday after a Friday due date
		{"2025-10-12", "2025-10-11", -1, false}, // a Sunday: late, though no working day passed
		{"2025-10-01", "2025-09-30", -1, false}, // a holiday: same
		{"2026-12-30", "2027-01-05", 4, true},
	}
	for _, tt := range tests {
		n, prov := s.Remaining(at(t, tt.now), d(t, tt.due))
		if n != tt.want || prov != tt.prov {
			t.Errorf("Remaining(%s, %s) = %d, %v; want %d, %v", tt.now, tt.due, n, prov, tt.want, tt.prov)
		}
	}
	// Late in the evening of the due day is still on time.
	if n, _ := s.Remaining(d(t, "2025-10-14").Time().Add(23*time.Hour+59*time.Minute), d(t, "2025-10-14")); n != 0 {
		t.Errorf("23:59 on the due day: %d", n)
	}
}
