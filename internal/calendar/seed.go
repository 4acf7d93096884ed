package calendar

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

// holidaysCSV is the State Council schedule for the seed years
// (国办发明电〔2023〕7号, 〔2024〕12号, 〔2025〕7号). It lists only days that
// change the default: weekday holidays and weekend make-up workdays. Holidays
// that fall on a weekend are left out because they are off anyway.
//
//go:embed holidays.csv
var holidaysCSV string

// seedYears are the years whose notice holidays.csv holds in full.
var seedYears = []int{2024, 2025, 2026}

var seed = sync.OnceValues(func() ([]Day, *Schedule) {
	days, err := ParseCSV(strings.NewReader(holidaysCSV))
	if err != nil {
		panic("calendar: embedded holidays.csv: " + err.Error())
	}
	s, err := NewSchedule(days, seedYears)
	if err != nil {
		panic("calendar: embedded holidays.csv: " + err.Error())
	}
	return days, s
})

// Seed returns the built-in entries and the years they load, for seeding a
// fresh database. The slices are copies the caller may keep.
func Seed() (days []Day, years []int) {
	d, _ := seed()
	return slices.Clone(d), slices.Clone(seedYears)
}

// Default returns the schedule built from Seed.
func Default() *Schedule {
	_, s := seed()
	return s
}
