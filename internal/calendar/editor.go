package calendar

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// Editor loads a year's notice into the database: who may, the checks,
// the audit entry, and the swap of the running schedule. Page, API and
// command line all go through it.
type Editor struct {
	Store  tongban.Store
	Clock  tongban.Clock
	Authz  identity.Authorizer
	Holder *Holder
}

// ImportCSV reads one year's notice (see ParseYearCSV) and imports it.
// source says where it came from, for the years list and the audit log.
func (e *Editor) ImportCSV(ctx context.Context, year int, r io.Reader, source string, req identity.Request) ([]Day, error) {
	if err := e.allowed(req); err != nil {
		return nil, err
	}
	days, err := ParseYearCSV(r, year)
	if err != nil {
		return nil, err
	}
	return days, e.ImportYear(ctx, year, days, source, req)
}

// ImportYear replaces year's entries with days, in one transaction with
// its audit entry, then reloads the Holder. A nil actor is the system
// (the command line). Problems are reported per entry ("第3条 date: …").
// If the commit succeeds but the reload fails, the error says so; the
// year is stored and the next Refresh picks it up.
func (e *Editor) ImportYear(ctx context.Context, year int, days []Day, source string, req identity.Request) error {
	if err := e.allowed(req); err != nil {
		return err
	}
	if err := checkYearDays(year, days); err != nil {
		return err
	}
	holidays := 0
	for _, d := range days {
		if d.Kind == Holiday {
			holidays++
		}
	}
	ent := &tongban.AuditEntry{At: e.Clock.Now(), Actor: "系统", Action: tongban.AuditCalendarImport,
		Object: "calendar:" + strconv.Itoa(year), IP: req.IP,
		Detail: fmt.Sprintf("放假 %d 天、调休上班 %d 天；来源：%s", holidays, len(days)-holidays, source)}
	if req.Actor != nil {
		ent.ActorID, ent.Actor = req.Actor.ID, req.Actor.Name
	}
	err := e.Store.Transact(ctx, func(tx tongban.Store) error {
		y := tongban.CalendarYear{Year: year, LoadedAt: e.Clock.Now(), Source: source}
		if err := tx.ReplaceCalendarYear(ctx, y, ToStored(days)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, ent)
	})
	if err != nil {
		return err
	}
	if err := e.Holder.Reload(ctx, e.Store); err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "%d 年节假日安排已保存，但刷新失败，将在一分钟内自动生效", year)
	}
	return nil
}

func (e *Editor) allowed(req identity.Request) error {
	if req.Actor == nil {
		return nil
	}
	return e.Authz.Require(req.Actor, identity.PermCalendarEdit)
}

// checkYearDays applies ParseYearCSV's whole-file rules and the schedule's
// per-entry rules to days that did not come from a file (JSON, tests).
func checkYearDays(year int, days []Day) error {
	if err := CheckYear(year); err != nil {
		return err
	}
	for i, d := range days {
		if d.Date.Year() != year {
			return tongban.FieldError("date", "第%d条 date: %s 不在 %d 年内，一次只能导入一年的安排", i+1, d.Date, year)
		}
	}
	if _, err := NewSchedule(days, nil); err != nil {
		return err
	}
	if !hasHoliday(days) {
		return tongban.FieldError("days", "没有 %d 年的放假日期；节假日安排至少包含元旦、春节等假日", year)
	}
	return nil
}
