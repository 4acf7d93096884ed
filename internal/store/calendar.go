package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
)

func (s *Store) CalendarDays(ctx context.Context) ([]tongban.CalendarDay, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT date, kind, name FROM calendar_days ORDER BY date`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.CalendarDay
	for rows.Next() {
		var d tongban.CalendarDay
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, classify(err)
		}
		out = append(out, d)
	}
	return out, classify(rows.Err())
}

func (s *Store) CalendarYears(ctx context.Context) ([]tongban.CalendarYear, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT year, loaded_at, source FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, classify(err)
	}
	defer rows.Close()
	var out []tongban.CalendarYear
	for rows.Next() {
		var y tongban.CalendarYear
		if err := rows.Scan(&y.Year, &y.LoadedAt, &y.Source); err != nil {
			return nil, classify(err)
		}
		out = append(out, y)
	}
	return out, classify(rows.Err())
}

func (s *Store) ReplaceCalendarYear(ctx context.Context, y tongban.CalendarYear, days []tongban.CalendarDay) error {
	if y.Year < 1 || y.Year > 9999 {
		return tongban.FieldError("year", "年份 %d 无效", y.Year)
	}
	// The year's entries are exactly the dates with its prefix, so a stray
	// date would silently land in (and later vanish from) another year.
	prefix := fmt.Sprintf("%04d-", y.Year)
	for i, d := range days {
		if len(d.Date) != len("2006-01-02") || !strings.HasPrefix(d.Date, prefix) {
			return tongban.FieldError("date", "第%d条 date: %q 不在 %d 年内", i+1, d.Date, y.Year)
		}
		if d.Kind != "holiday" && d.Kind != "workday" {
			return tongban.FieldError("kind", "第%d条 kind: 类型应为 holiday 或 workday，实为 %q", i+1, d.Kind)
		}
	}
	return s.Transact(ctx, func(tx tongban.Store) error {
		q := tx.(*Store).q
		// Upserting the year row first locks it, so concurrent replaces of
		// one year run one after the other instead of colliding on dates.
		_, err := q.ExecContext(ctx,
			`INSERT INTO calendar_years (year, loaded_at, source) VALUES ($1, $2, $3)
			 ON CONFLICT (year) DO UPDATE SET loaded_at = excluded.loaded_at, source = excluded.source`,
			y.Year, utc(y.LoadedAt), y.Source)
		if err != nil {
			return classify(err)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM calendar_days WHERE date >= $1 AND date <= $2`,
			prefix+"01-01", prefix+"12-31"); err != nil {
			return classify(err)
		}
		for i, d := range days {
			_, err := q.ExecContext(ctx, `INSERT INTO calendar_days (date, kind, name) VALUES ($1, $2, $3)`, d.Date, d.Kind, d.Name)
			switch {
			case sqldb.IsUniqueViolation(err):
				return tongban.FieldError("date", "第%d条 date: 日期 %s 重复", i+1, d.Date)
			case err != nil:
				return classify(err)
			}
		}
		return nil
	})
}
