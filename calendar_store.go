package tongban

import (
	"context"
	"time"
)

// AuditCalendarImport is the audit action of loading one year's holiday notice.
const AuditCalendarImport = "calendar_import"

// CalendarDay is one stored entry of a State Council holiday notice: a
// weekday that is off (Kind "holiday") or a weekend day that is worked
// ("workday", 调休上班). Date is the China civil date as YYYY-MM-DD; the
// rules that give these strings meaning live in internal/calendar.
type CalendarDay struct {
	Date string `json:"date"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// CalendarYear records that a year's notice is loaded in full. A year
// without a row is unknown, never "plain weekends".
type CalendarYear struct {
	Year     int       `json:"year"`
	LoadedAt time.Time `json:"loaded_at"`
	Source   string    `json:"source"` // where it came from: built-in seed, page upload, API, CLI
}

// CalendarStore persists the working-day calendar.
type CalendarStore interface {
	// CalendarDays returns every stored entry, ordered by date.
	CalendarDays(ctx context.Context) ([]CalendarDay, error)
	// CalendarYears returns the loaded years, ascending.
	CalendarYears(ctx context.Context) ([]CalendarYear, error)
	// ReplaceCalendarYear atomically replaces the entries dated in y.Year
	// with days and marks the year loaded. An entry dated in another year
	// is EInvalid and nothing is written.
	ReplaceCalendarYear(ctx context.Context, y CalendarYear, days []CalendarDay) error
}
