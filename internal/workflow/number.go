package workflow

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tongban/tongban/internal/calendar"
)

// FormatNumber is the readable case number: the 12-digit region code, the
// China date of creation and the day's sequence in that region, e.g.
// 511602000000-20260302-000017. The sequence comes from the store's counter
// through numberAllocator: unique, ascending per server, not gapless.
func FormatNumber(region string, day calendar.Date, seq int) string {
	return fmt.Sprintf("%s-%s-%06d", region, dayKey(day), seq)
}

// dayKey is the date as YYYYMMDD, the counter's key.
func dayKey(d calendar.Date) string {
	return fmt.Sprintf("%04d%02d%02d", d.Year(), int(d.Month()), d.Day())
}

// ParseNumber splits a case number, for lookups typed by people; it
// accepts the number with or without its dashes.
func ParseNumber(s string) (region string, day calendar.Date, seq int, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "-", "")
	if len(s) < 12+8+6 {
		return "", calendar.Date{}, 0, false
	}
	region, date, rest := s[:12], s[12:20], s[20:]
	if strings.Trim(region, "0123456789") != "" {
		return "", calendar.Date{}, 0, false
	}
	day, err := calendar.ParseDate(date[:4] + "-" + date[4:6] + "-" + date[6:])
	if err != nil {
		return "", calendar.Date{}, 0, false
	}
	seq, err = strconv.Atoi(rest)
	if err != nil || seq <= 0 {
		return "", calendar.Date{}, 0, false
	}
	return region, day, seq, true
}
