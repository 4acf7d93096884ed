package calendar

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tongban/tongban"
)

// Kind says how a listed day departs from the weekday/weekend default.
type Kind string

const (
	Holiday Kind = "holiday" // a weekday that is off (法定节假日)
	Workday Kind = "workday" // a weekend day that is worked (调休上班)
)

// Valid reports whether k is one of the two kinds.
func (k Kind) Valid() bool { return k == Holiday || k == Workday }

// Label is the Chinese name shown on consoles.
func (k Kind) Label() string {
	switch k {
	case Holiday:
		return "放假"
	case Workday:
		return "调休上班"
	}
	return string(k)
}

// Day is one entry of the State Council's holiday notice.
type Day struct {
	Date Date
	Kind Kind
	Name string // the festival, e.g. 国庆节, 春节
}

// Schedule answers "is this a working day" from a set of listed days and the
// years whose notice is fully loaded. It is immutable and safe for concurrent
// use; to change it, build a new one and swap it in. The zero Schedule has no
// year loaded, so every answer from it is provisional.
type Schedule struct {
	days  map[Date]Day
	years map[int]bool
}

// NewSchedule validates days and returns the schedule. years lists the years
// whose notice is complete; a listed day outside them is still used (a notice
// sometimes moves a day of the previous year) but does not load its year.
// A Workday entry on a weekday is rejected because it would mean nothing; a
// Holiday entry on a weekend is accepted and changes nothing.
func NewSchedule(days []Day, years []int) (*Schedule, error) {
	s := &Schedule{days: make(map[Date]Day, len(days)), years: make(map[int]bool, len(years))}
	for i, d := range days {
		if err := checkDay(d); err != nil {
			return nil, tongban.FieldError(err.Field, "第%d条 %s: %s", i+1, err.Field, err.Message)
		}
		if _, dup := s.days[d.Date]; dup {
			return nil, tongban.FieldError("date", "第%d条 date: 日期 %s 重复", i+1, d.Date)
		}
		s.days[d.Date] = d
	}
	for _, y := range years {
		s.years[y] = true
	}
	return s, nil
}

// checkDay applies the per-entry rules shared by NewSchedule and ParseCSV.
// The message names the problem only; callers add where it is.
func checkDay(d Day) *tongban.Error {
	switch {
	case d.Date.IsZero():
		return tongban.FieldError("date", "日期不能为空")
	case !d.Kind.Valid():
		return tongban.FieldError("kind", "类型应为 holiday（放假）或 workday（调休上班）")
	case d.Kind == Workday && !d.Date.IsWeekend():
		return tongban.FieldError("kind", "%s 是%s，本来就是工作日，不能设为调休上班日", d.Date, weekdayCN[d.Date.Weekday()])
	}
	return checkName(d.Name)
}

func checkName(name string) *tongban.Error {
	switch {
	case strings.TrimSpace(name) == "":
		return tongban.FieldError("name", "名称不能为空")
	case utf8.RuneCountInString(name) > maxNameRunes:
		return tongban.FieldError("name", "名称不能超过 %d 个字", maxNameRunes)
	case !utf8.ValidString(name):
		return tongban.FieldError("name", "名称不是有效的 UTF-8 文本")
	case strings.ContainsFunc(name, unicode.IsControl):
		return tongban.FieldError("name", "名称不能包含换行等控制字符")
	}
	return nil
}

const maxNameRunes = 50

var weekdayCN = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Years returns the loaded years in ascending order.
func (s *Schedule) Years() []int {
	ys := make([]int, 0, len(s.years))
	for y := range s.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Loaded reports whether year's notice is loaded.
func (s *Schedule) Loaded(year int) bool { return s.years[year] }

// Days returns the listed days sorted by date.
func (s *Schedule) Days() []Day {
	ds := make([]Day, 0, len(s.days))
	for _, d := range s.days {
		ds = append(ds, d)
	}
	sortDays(ds)
	return ds
}

func sortDays(ds []Day) {
	slices.SortFunc(ds, func(a, b Day) int { return a.Date.Compare(b.Date) })
}

// Lookup returns the listed entry for d, if any (for showing the festival name).
func (s *Schedule) Lookup(d Date) (Day, bool) {
	e, ok := s.days[d]
	return e, ok
}

// IsWorkday reports whether the China date of t is a working day. provisional
// is true when that year is not loaded, so only the weekend rule (and any
// stray entry) was applied.
func (s *Schedule) IsWorkday(t time.Time) (work, provisional bool) {
	return s.isWorkday(DateOf(t))
}

func (s *Schedule) isWorkday(d Date) (work, provisional bool) {
	provisional = !s.years[d.Year()]
	if e, ok := s.days[d]; ok {
		return e.Kind == Workday, provisional
	}
	return !d.IsWeekend(), provisional
}

// UnloadedYearsTouched lists, ascending, the years between the China dates of
// from and to (inclusive, either order) whose notice is not loaded, so a
// console can tell an administrator which notice to import.
func (s *Schedule) UnloadedYearsTouched(from, to time.Time) []int {
	a, b := DateOf(from).Year(), DateOf(to).Year()
	if a > b {
		a, b = b, a
	}
	var out []int
	for y := a; y <= b; y++ {
		if !s.years[y] {
			out = append(out, y)
		}
	}
	return out
}
