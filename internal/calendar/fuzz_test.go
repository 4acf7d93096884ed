package calendar

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

// fuzzEpoch anchors fuzzed dates so they land in and around the seed years.
var fuzzEpoch = NewDate(2023, time.June, 1)

// refDue is the rule written as plainly as possible: walk forward from the
// acceptance date and count each working day that no closed pause covers.
func refDue(s *Schedule, accepted time.Time, days int, pauses []Pause) Date {
	d := DateOf(accepted)
	for n := 0; n < days; {
		d = d.AddDays(1)
		stopped := false
		for _, p := range pauses {
			if !p.To.IsZero() && DateOf(p.From).Before(d) && !d.After(DateOf(p.To)) {
				stopped = true
			}
		}
		if w, _ := s.isWorkday(d); w && !stopped {
			n++
		}
	}
	return d
}

func FuzzDue(f *testing.F) {
	// accOff: days after 2023-06-01; sec: seconds into the day; zone: hours
	// off UTC; days: the limit; p*: pause start (days after acceptance),
	// length in days, and whether it is still open.
	type seed struct {
		accOff, sec, zone, days, pFrom, pLen int
		pOpen                                bool
	}
	base := func(s string) int { return int(mustDate(s).utc().Sub(fuzzEpoch.utc()).Hours() / 24) }
	for _, s := range []seed{
		{base("2025-09-30"), 36000, 8, 5, 9, 1, false},    // 国庆 example, pause 10-09..10-10
		{base("2025-09-26"), 0, 8, 1, 0, 0, false},        // make-up Sunday 09-28
		{base("2026-02-13"), 86399, 8, 6, 0, 0, false},    // 春节, ends on make-up 02-28
		{base("2026-02-13"), 3600, -5, 2, 1, 12, false},   // New York evening, pause over 春节
		{base("2025-04-30"), 43200, 0, 3, 0, 0, false},    // 劳动节 in UTC
		{base("2025-12-31"), 0, 8, 1, 0, 0, false},        // 元旦 make-up Sunday
		{base("2026-12-28"), 0, 8, 5, 0, 0, false},        // into unloaded 2027
		{base("2026-12-20"), 0, 8, 30, 2, 20, false},      // pause into 2027
		{base("2025-10-09"), 0, 8, 0, 0, 3, false},        // 即办件 with a pause
		{base("2025-10-09"), 0, 8, 20, 3, 0, true},        // still paused
		{base("2023-12-29"), 0, 8, 1, -3, 5, false},       // from unloaded 2023, pause before acceptance
		{base("2025-01-20"), 50000, 14, 60, 5, 30, false}, // long limit across 春节 2025
	} {
		f.Add(s.accOff, s.sec, s.zone, s.days, s.pFrom, s.pLen, s.pOpen)
	}
	s := Default()
	f.Fuzz(func(t *testing.T, accOff, sec, zone, days, pFrom, pLen int, pOpen bool) {
		// Fold inputs into a realistic range so each run stays fast.
		accDate := fuzzEpoch.AddDays(mod(accOff, 5*366))
		loc := time.FixedZone("", (mod(zone, 27)-12)*3600)
		accepted := time.Date(accDate.Year(), accDate.Month(), accDate.Day(), 0, 0, mod(sec, 86400), 0, loc)
		days = mod(days, 250)
		A := DateOf(accepted)

		r0 := s.Due(accepted, days, nil)
		if r0.Due.Before(A) {
			t.Fatalf("due %s before acceptance %s", r0.Due, A)
		}
		if days == 0 && r0.Due != A {
			t.Fatalf("即办件 due %s, accepted %s", r0.Due, A)
		}
		if w, _ := s.isWorkday(r0.Due); days > 0 && !w {
			t.Fatalf("due %s is not a working day", r0.Due)
		}
		unloaded := days > 0 && len(s.UnloadedYearsTouched(A.AddDays(1).Time(), r0.Due.Time())) > 0
		if r0.Provisional != unloaded {
			t.Fatalf("provisional=%v but unloaded years touched=%v (%s..%s)", r0.Provisional, unloaded, A, r0.Due)
		}
		if n, _ := s.WorkdaysBetween(accepted, r0.Due.Time()); n != days {
			t.Fatalf("WorkdaysBetween(accepted, due) = %d, want %d", n, days)
		}
		if n, _ := s.Remaining(accepted, r0.Due); n != days {
			t.Fatalf("Remaining on acceptance = %d, want %d", n, days)
		}
		if n, _ := s.Remaining(r0.Due.AddDays(1).Time(), r0.Due); n >= 0 || Warning(days, n) != Red {
			t.Fatalf("day after due: remaining %d", n)
		}
		if r1 := s.Due(accepted, days+1, nil); !r1.Due.After(r0.Due) {
			t.Fatalf("not monotonic: %d days → %s, %d days → %s", days, r0.Due, days+1, r1.Due)
		}

		p := Pause{From: A.AddDays(mod(pFrom, 80) - 20).Time().Add(9 * time.Hour)}
		if !pOpen {
			p.To = p.From.AddDate(0, 0, mod(pLen, 60))
		}
		rp := s.Due(accepted, days, []Pause{p})
		if rp.Due.Before(r0.Due) {
			t.Fatalf("pause %v moved due earlier: %s → %s", p, r0.Due, rp.Due)
		}
		if rp.Paused != pOpen {
			t.Fatalf("Paused = %v for open=%v", rp.Paused, pOpen)
		}
		if want := refDue(s, accepted, days, []Pause{p}); rp.Due != want {
			t.Fatalf("Due with pause %v = %s, reference %s", p, rp.Due, want)
		}
		// A second, overlapping pause never moves it back either.
		q := Pause{From: p.From.AddDate(0, 0, 2), To: p.From.AddDate(0, 0, 2+mod(pLen, 7))}
		rq := s.Due(accepted, days, []Pause{p, q})
		if rq.Due.Before(rp.Due) {
			t.Fatalf("second pause moved due earlier: %s → %s", rp.Due, rq.Due)
		}
		if want := refDue(s, accepted, days, []Pause{q, p}); rq.Due != want {
			t.Fatalf("Due with pauses %v, %v = %s, reference %s", p, q, rq.Due, want)
		}
	})
}

func mustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// mod is a non-negative remainder, so any fuzzed int maps into [0, n).
func mod(a, n int) int {
	r := a % n
	if r < 0 {
		r += n
	}
	return r
}

func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{
		holidaysCSV,
		"\uFEFFdate,kind,name\r\n2025-10-11,workday,国庆节\r\n",
		"date,kind,name\n2025-10-04,holiday,\"国庆节,中秋节\"\n",
		"date,kind,name\n2025-10-09,workday,国庆节\n",
		"date,kind,name\n2025-10-01,holiday,国庆节\n2025-10-01,holiday,国庆节\n",
		"date,kind,name\n2025-02-30,off,\n",
		"date,kind,name\n2025-10-11,workday,\"国庆\"节\n",
		"date,kind,name\n2025-10-11,workday,\"国庆\n节\"\n",
		"date,kind,name\n2025-10-11\n2025-10-12,workday,a,b\n",
		"日期,类型,名称\n",
		"",
		"date,kind,name\n\xff\xfe,holiday,\xff\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		days, err := ParseCSV(strings.NewReader(in))
		if err != nil {
			var e *tongban.Error
			if !errors.As(err, &e) || e.Code != tongban.EInvalid || !strings.HasPrefix(e.Message, "第") {
				t.Fatalf("error %v is not a located *tongban.Error", err)
			}
			return
		}
		// Whatever parses builds a schedule and survives a round trip.
		if _, err := NewSchedule(days, nil); err != nil {
			t.Fatalf("parsed days rejected by NewSchedule: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, days); err != nil {
			t.Fatal(err)
		}
		back, err := ParseCSV(&buf)
		if err != nil {
			t.Fatalf("own output rejected: %v\n%s", err, buf.String())
		}
		sortDays(days)
		if len(days) > 0 && !reflect.DeepEqual(back, days) {
			t.Fatalf("round trip changed days: %v → %v", days, back)
		}
	})
}
