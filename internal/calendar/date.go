package calendar

import (
	"fmt"
	"time"
)

// Date is a civil calendar day in China, with no time of day and no zone.
// Deadlines are whole days, so comparing instants would only invite
// off-by-one-hour bugs around midnight UTC. Date is comparable and can be a
// map key; the zero value means "no date" (see IsZero).
type Date struct {
	y int32
	m uint8
	d uint8
}

// dateLayout is the one textual form of a Date (CSV, JSON, logs).
const dateLayout = "2006-01-02"

var cst = loadLocation()

// loadLocation prefers the tz database but falls back to a fixed UTC+8, which
// is exact for every date since China dropped daylight saving time in 1992.
func loadLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// Location returns China Standard Time, the zone every date here is read in.
func Location() *time.Location { return cst }

// NewDate returns the date y-m-d, normalizing overflow like time.Date does
// (e.g. October 32 is November 1).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return fromUTC(t)
}

func fromUTC(t time.Time) Date {
	return Date{y: int32(t.Year()), m: uint8(t.Month()), d: uint8(t.Day())}
}

// DateOf returns the date in China at instant t, whatever t's zone.
func DateOf(t time.Time) Date {
	y, m, d := t.In(cst).Date()
	return Date{y: int32(y), m: uint8(m), d: uint8(d)}
}

// ParseDate parses YYYY-MM-DD strictly.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: bad date %q: %w", s, err)
	}
	return fromUTC(t), nil
}

func (d Date) Year() int         { return int(d.y) }
func (d Date) Month() time.Month { return time.Month(d.m) }
func (d Date) Day() int          { return int(d.d) }
func (d Date) IsZero() bool      { return d == Date{} }
func (d Date) utc() time.Time {
	return time.Date(int(d.y), time.Month(d.m), int(d.d), 0, 0, 0, 0, time.UTC)
}
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// IsWeekend reports whether d is a Saturday or a Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date { return NewDate(int(d.y), time.Month(d.m), int(d.d)+n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.y != e.y:
		return cmp3(int(d.y), int(e.y))
	case d.m != e.m:
		return cmp3(int(d.m), int(e.m))
	default:
		return cmp3(int(d.d), int(e.d))
	}
}

func cmp3(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }
func (d Date) After(e Date) bool  { return d.Compare(e) > 0 }

// Time returns the start of d (00:00) in China Standard Time.
func (d Date) Time() time.Time {
	return time.Date(int(d.y), time.Month(d.m), int(d.d), 0, 0, 0, 0, cst)
}

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.utc().Format(dateLayout)
}

// MarshalText makes Date a YYYY-MM-DD string in JSON and similar encodings.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD; the empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
