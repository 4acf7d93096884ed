package calendar

import (
	"testing"
	"time"
)

// d parses a YYYY-MM-DD literal in tests.
func d(tb testing.TB, s string) Date {
	tb.Helper()
	v, err := ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// at returns 10:00 China time on the date s: a typical office-hours instant.
func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	return d(tb, s).Time().Add(10 * time.Hour)
}
