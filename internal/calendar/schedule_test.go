package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

func TestIsWorkday(t *testing.T) {
	s := Default()
	tests := []struct {
		date              string
		work, provisional bool
	}{
		{"2025-09-28", true, false},  // Sunday, 国庆 make-up
		{"2025-10-01", false, false}, // Wednesday, 国庆节
		{"2025-10-08", false, false}, // Wednesday, last day of the 8-day break
		{"2025-10-09", true, false},  // plain Thursday
		{"2025-10-11", true, false},  // Saturday, make-up
		{"2025-10-12", false, false}, // plain Sunday
		{"2025-04-27", true, false},  // Sunday, 劳动节 make-up
		{"2025-05-05", false, false}, // Monday, 劳动节
		{"2026-02-14", true, false},  // Saturday, 春节 make-up
		{"2026-02-15", false, false}, // Sunday inside the break (not listed)
		{"2026-02-23", false, false}, // Monday, last day of 春节
		{"2026-02-24", true, false},
		{"2026-02-28", true, false}, // Saturday, 春节 make-up
		{"2026-01-04", true, false}, // Sunday, 元旦 make-up
		{"2024-02-04", true, false}, // Sunday, 春节 make-up
		{"2027-01-01", true, true},  // unloaded: weekday guessed working
		{"2027-01-02", false, true}, // unloaded: Saturday guessed off
		{"2023-10-02", true, true},  // unloaded past year
	}
	for _, tt := range tests {
		work, prov := s.IsWorkday(at(t, tt.date))
		if work != tt.work || prov != tt.provisional {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v, %v", tt.date, work, prov, tt.work, tt.provisional)
		}
	}
}

func TestIsWorkdayUsesChinaDate(t *testing.T) {
	// Friday 2025-10-10 17:00 UTC is Saturday 01:00 in Beijing, a make-up day;
	// Saturday 2025-10-11 17:00 UTC is an ordinary Sunday in Beijing.
	s := Default()
	if w, _ := s.IsWorkday(time.Date(2025, 10, 10, 17, 0, 0, 0, time.UTC)); !w {
		t.Error("Saturday make-up day in China reported off")
	}
	if w, _ := s.IsWorkday(time.Date(2025, 10, 11, 17, 0, 0, 0, time.UTC)); w {
		t.Error("Sunday in China reported working")
	}
}

func TestWeekendHolidayEntryChangesNothing(t *testing.T) {
	// lunar-go lists 2025-10-04 (Saturday) as 国庆; the seed leaves it out.
	// Keeping it must give the same answers, only a name for display.
	base := Default()
	days, years := Seed()
	days = append(days, Day{Date: NewDate(2025, time.October, 4), Kind: Holiday, Name: "国庆节、中秋节"})
	with, err := NewSchedule(days, years)
	if err != nil {
		t.Fatal(err)
	}
	for dd := d(t, "2025-09-25"); dd.Before(d(t, "2025-10-20")); dd = dd.AddDays(1) {
		w1, p1 := base.isWorkday(dd)
		w2, p2 := with.isWorkday(dd)
		if w1 != w2 || p1 != p2 {
			t.Errorf("%s: %v/%v without, %v/%v with weekend holiday entry", dd, w1, p1, w2, p2)
		}
	}
	if e, ok := with.Lookup(d(t, "2025-10-04")); !ok || e.Name != "国庆节、中秋节" {
		t.Errorf("Lookup = %v, %v", e, ok)
	}
	if _, ok := base.Lookup(d(t, "2025-10-04")); ok {
		t.Error("seed lists a weekend holiday, against its own rule")
	}
}

func TestNewScheduleRejects(t *testing.T) {
	sat := NewDate(2025, time.October, 11)
	thu := NewDate(2025, time.October, 9)
	tests := []struct {
		name  string
		days  []Day
		field string
		msg   string
	}{
		{"workday on weekday", []Day{{thu, Workday, "国庆节"}}, "kind", "本来就是工作日"},
		{"unknown kind", []Day{{sat, "off", "国庆节"}}, "kind", "类型应为"},
		{"zero date", []Day{{Date{}, Holiday, "国庆节"}}, "date", "日期不能为空"},
		{"duplicate", []Day{{sat, Workday, "国庆节"}, {sat, Workday, "国庆节"}}, "date", "第2条 date: 日期 2025-10-11 重复"},
		{"empty name", []Day{{sat, Workday, " "}}, "name", "名称不能为空"},
		{"control in name", []Day{{sat, Workday, "国庆\n节"}}, "name", "控制字符"},
		{"long name", []Day{{sat, Workday, strings.Repeat("节", 51)}}, "name", "不能超过"},
	}
	for _, tt := range tests {
		_, err := NewSchedule(tt.days, []int{2025})
		var e *tongban.Error
		if !errors.As(err, &e) || e.Code != tongban.EInvalid || e.Field != tt.field || !strings.Contains(e.Message, tt.msg) {
			t.Errorf("%s: got %v; want field %q, message containing %q", tt.name, err, tt.field, tt.msg)
		}
	}
}

func TestZeroScheduleIsProvisionalWeekendRule(t *testing.T) {
	var s Schedule
	if w, p := s.IsWorkday(at(t, "2025-10-01")); !w || !p {
		t.Errorf("zero schedule: 2025-10-01 = %v, %v; want working, provisional", w, p)
	}
	if got := s.Due(at(t, "2025-09-30"), 5, nil); got.Due != d(t, "2025-10-07") || !got.Provisional {
		t.Errorf("zero schedule Due = %+v", got)
	}
}

func TestUnloadedYearsTouched(t *testing.T) {
	s := Default()
	tests := []struct {
		from, to string
		want     []int
	}{
		{"2025-01-01", "2026-12-31", nil},
		{"2026-12-28", "2027-01-04", []int{2027}},
		{"2027-01-04", "2026-12-28", []int{2027}}, // either order
		{"2022-06-01", "2028-01-01", []int{2022, 2023, 2027, 2028}},
	}
	for _, tt := range tests {
		if got := s.UnloadedYearsTouched(at(t, tt.from), at(t, tt.to)); !slices.Equal(got, tt.want) {
			t.Errorf("UnloadedYearsTouched(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	if got := s.Years(); !slices.Equal(got, []int{2024, 2025, 2026}) {
		t.Errorf("Years() = %v", got)
	}
}
