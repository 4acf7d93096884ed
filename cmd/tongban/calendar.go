package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

const calendarUsage = `usage:
  tongban calendar due --from YYYY-MM-DD --days N   due date of N working days from the day after --from
  tongban calendar is-workday YYYY-MM-DD            whether a date is a working day, and why
  tongban calendar import --year YYYY FILE.csv      load one year's notice (FILE "-" = stdin), replacing that year
  tongban calendar export --year YYYY               print one year's notice as CSV
Each also takes the database flags (--data, --db). The schedule is the database's, as the server uses it.`

// runCalendar answers from, and edits, the schedule stored in the database.
func runCalendar(ctx context.Context, args []string, e env, s stdio) error {
	if len(args) == 0 {
		return errors.New(calendarUsage)
	}
	sub, args := args[0], flagsFirst(args[1:])
	switch sub {
	case "due":
		return calendarDue(ctx, args, e, s)
	case "is-workday":
		return calendarIsWorkday(ctx, args, e, s)
	case "import":
		return calendarImport(ctx, args, e, s)
	case "export":
		return calendarExport(ctx, args, e, s)
	}
	return errors.New(calendarUsage)
}

// flagsFirst moves positional arguments after the flags, so that
// "is-workday 2025-09-28 --data DIR" parses --data too. Every flag of these
// commands takes a value, unless written --flag=value or a help flag.
func flagsFirst(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case a == "-" || !strings.HasPrefix(a, "-"):
			rest = append(rest, a)
		case strings.Contains(a, "=") || a == "-h" || a == "-help" || a == "--help" || i+1 == len(args):
			flags = append(flags, a)
		default:
			flags = append(flags, a, args[i+1])
			i++
		}
	}
	return append(append(flags, "--"), rest...)
}

func calendarDue(ctx context.Context, args []string, e env, s stdio) error {
	var from string
	var days int
	a, err := openQuiet(ctx, "calendar due", args, e, s, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "acceptance date YYYY-MM-DD (day 1 is the next working day)")
		fs.IntVar(&days, "days", -1, "time limit in working days (0 = on the spot)")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	start, err := calendar.ParseDate(from)
	if err != nil {
		return fmt.Errorf("--from %q: want YYYY-MM-DD", from)
	}
	if days < 0 || days > calendar.MaxDays {
		return fmt.Errorf("--days: want a number of working days from 0 to %d", calendar.MaxDays)
	}
	sched := a.Calendar.Current()
	res := sched.Due(start.Time(), days, nil)
	line := res.Due.String()
	if res.Provisional {
		line += " (暂定：" + calendar.NotLoaded(sched.UnloadedYearsTouched(start.AddDays(1).Time(), res.Due.Time())...) + ")"
	}
	_, err = fmtOut(s, "%s\n", line)
	return err
}

func calendarIsWorkday(ctx context.Context, args []string, e env, s stdio) error {
	a, err := openQuiet(ctx, "calendar is-workday", args, e, s, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	date := positional(args)
	if len(date) != 1 {
		return errors.New("usage: tongban calendar is-workday YYYY-MM-DD")
	}
	d, err := calendar.ParseDate(date[0])
	if err != nil {
		return fmt.Errorf("%q: want YYYY-MM-DD", date[0])
	}
	_, err = fmtOut(s, "%s\n", a.Calendar.Current().Explain(d))
	return err
}

// positional returns what flagsFirst put after "--".
func positional(args []string) []string {
	for i, a := range args {
		if a == "--" {
			return args[i+1:]
		}
	}
	return nil
}

func calendarImport(ctx context.Context, args []string, e env, s stdio) error {
	var year int
	a, err := openQuiet(ctx, "calendar import", args, e, s, func(fs *flag.FlagSet) {
		fs.IntVar(&year, "year", 0, "the year the file holds, e.g. 2027")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	files := positional(args)
	if len(files) != 1 {
		return errors.New("usage: tongban calendar import --year YYYY FILE.csv (FILE - reads stdin)")
	}
	var in io.Reader = s.in
	if files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	days, err := a.CalendarEditor.ImportCSV(ctx, year, in, "命令行导入："+files[0], identity.Request{IP: "cli"})
	if err != nil {
		var msgs []string
		for _, p := range calendar.Problems(err) {
			msgs = append(msgs, p.Message)
		}
		if tongban.ErrorCodeOf(err) != tongban.EInvalid {
			return err
		}
		return fmt.Errorf("%s 未导入，没有任何改动：\n  %s", files[0], strings.Join(msgs, "\n  "))
	}
	holidays := 0
	for _, d := range days {
		if d.Kind == calendar.Holiday {
			holidays++
		}
	}
	_, err = fmtOut(s, "已导入 %d 年节假日安排：放假 %d 天、调休上班 %d 天\n", year, holidays, len(days)-holidays)
	return err
}

func calendarExport(ctx context.Context, args []string, e env, s stdio) error {
	var year int
	a, err := openQuiet(ctx, "calendar export", args, e, s, func(fs *flag.FlagSet) {
		fs.IntVar(&year, "year", 0, "the year to print, e.g. 2026")
	})
	if err != nil {
		return err
	}
	defer a.Close()
	sched := a.Calendar.Current()
	if !sched.Loaded(year) {
		return errors.New(calendar.NotLoaded(year))
	}
	var days []calendar.Day
	for _, d := range sched.Days() {
		if d.Date.Year() == year {
			days = append(days, d)
		}
	}
	return calendar.WriteCSV(s.out, days)
}
