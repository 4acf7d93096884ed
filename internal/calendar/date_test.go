package calendar

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDateOfConvertsToChinaTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		// 20:00 UTC is already 04:00 the next morning in Beijing.
		{time.Date(2025, 9, 30, 20, 0, 0, 0, time.UTC), "2025-10-01"},
		{time.Date(2025, 9, 30, 15, 59, 59, 0, time.UTC), "2025-09-30"},
		{time.Date(2025, 9, 30, 16, 0, 0, 0, time.UTC), "2025-10-01"},
		// A New York evening is the next day in China.
		{time.Date(2025, 12, 31, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2026-01-01"},
		{time.Date(2026, 2, 14, 0, 0, 0, 0, Location()), "2026-02-14"},
	}
	for _, tt := range tests {
		if got := DateOf(tt.in).String(); got != tt.want {
			t.Errorf("DateOf(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseDateIsStrict(t *testing.T) {
	for _, s := range []string{"", "2025-1-01", "2025/10/01", "2025-02-30", "2025-13-01", "20251001", " 2025-10-01", "2025-10-01T00:00:00Z"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	got, err := ParseDate("2024-02-29")
	if err != nil || got != NewDate(2024, time.February, 29) {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", got, err)
	}
}

func TestDateArithmetic(t *testing.T) {
	if got := NewDate(2025, time.October, 32); got != d(t, "2025-11-01") {
		t.Errorf("NewDate normalizes: got %s", got)
	}
	if got := d(t, "2026-12-31").AddDays(1); got != d(t, "2027-01-01") {
		t.Errorf("AddDays across years: %s", got)
	}
	if got := d(t, "2024-03-01").AddDays(-1); got != d(t, "2024-02-29") {
		t.Errorf("AddDays back over leap day: %s", got)
	}
	a, b := d(t, "2025-09-30"), d(t, "2025-10-01")
	if !a.Before(b) || !b.After(a) || a.Compare(a) != 0 || b.Compare(a) != 1 {
		t.Error("Compare disagrees with calendar order")
	}
	if w := d(t, "2025-10-11").Weekday(); w != time.Saturday {
		t.Errorf("2025-10-11 is %v", w)
	}
	if !(Date{}).IsZero() || d(t, "2025-01-01").IsZero() || (Date{}).String() != "" {
		t.Error("zero Date")
	}
	if got := d(t, "2025-10-01").Time(); !got.Equal(time.Date(2025, 9, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v, want midnight in China", got)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due Date `json:"due"`
	}
	b, err := json.Marshal(doc{d(t, "2025-10-14")})
	if err != nil || string(b) != `{"due":"2025-10-14"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.Due != d(t, "2025-10-14") {
		t.Fatalf("Unmarshal = %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"2025-10-32"}`), &back); err == nil {
		t.Error("bad date accepted")
	}
}
