package calendar

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// SeedSource is the source recorded for the built-in years.
const SeedSource = "内置：国务院办公厅节假日安排通知（holidays.csv）"

// FromStored converts stored entries to Days, naming the index of a bad one.
func FromStored(stored []tongban.CalendarDay) ([]Day, error) {
	days := make([]Day, 0, len(stored))
	for i, sd := range stored {
		date, err := ParseDate(sd.Date)
		if err != nil {
			return nil, tongban.FieldError("date", "第%d条 date: 日期格式应为 YYYY-MM-DD，实为 %q", i+1, sd.Date)
		}
		days = append(days, Day{Date: date, Kind: Kind(sd.Kind), Name: sd.Name})
	}
	return days, nil
}

// ToStored converts Days to the stored form.
func ToStored(days []Day) []tongban.CalendarDay {
	out := make([]tongban.CalendarDay, 0, len(days))
	for _, d := range days {
		out = append(out, tongban.CalendarDay{Date: d.Date.String(), Kind: string(d.Kind), Name: d.Name})
	}
	return out
}

// Load builds the schedule from the store. Years are read before days, so a
// replace that commits between the two reads leaves the holder's stamp (see
// Holder.Refresh) older than the data and the next refresh reloads.
func Load(ctx context.Context, st tongban.CalendarStore) (*Schedule, []tongban.CalendarYear, error) {
	years, err := st.CalendarYears(ctx)
	if err != nil {
		return nil, nil, err
	}
	stored, err := st.CalendarDays(ctx)
	if err != nil {
		return nil, nil, err
	}
	days, err := FromStored(stored)
	if err != nil {
		return nil, nil, tongban.Wrap(tongban.EInternal, err, "数据库中的节假日安排已损坏")
	}
	ys := make([]int, 0, len(years))
	for _, y := range years {
		ys = append(ys, y.Year)
	}
	s, err := NewSchedule(days, ys)
	if err != nil {
		return nil, nil, tongban.Wrap(tongban.EInternal, err, "数据库中的节假日安排已损坏")
	}
	return s, years, nil
}

// SeedStore loads the built-in years (Seed) into a store that has no year
// loaded yet, in one transaction, and reports whether it did. A database
// with any year loaded is left alone: its admins own it from then on.
func SeedStore(ctx context.Context, st tongban.Store, now time.Time) (seeded bool, err error) {
	days, years := Seed()
	err = st.Transact(ctx, func(tx tongban.Store) error {
		loaded, err := tx.CalendarYears(ctx)
		if err != nil || len(loaded) > 0 {
			seeded = false
			return err
		}
		for _, y := range years {
			var of []Day
			for _, d := range days {
				if d.Date.Year() == y {
					of = append(of, d)
				}
			}
			if err := tx.ReplaceCalendarYear(ctx, tongban.CalendarYear{Year: y, LoadedAt: now, Source: SeedSource}, ToStored(of)); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	return seeded, err
}

// Missing lists this year and next year, as seen at now in China, when
// their notice is not loaded: the years an administrator must import.
func (s *Schedule) Missing(now time.Time) []int {
	y := DateOf(now).Year()
	return s.UnloadedYearsTouched(NewDate(y, time.January, 1).Time(), NewDate(y+1, time.January, 1).Time())
}

// MissingMessage is the warning shown while year is not loaded.
func MissingMessage(year int) string { return NotLoaded(year) + "，跨入该年的到期日为暂定" }

// NotLoaded says which years' notices are missing, e.g. "2027 年节假日安排未导入".
func NotLoaded(years ...int) string {
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
	}
	return strings.Join(ys, "、") + " 年节假日安排未导入"
}
