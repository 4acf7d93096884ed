package calendar

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"

	"github.com/tongban/tongban"
)

// MaxCSVBytes bounds an uploaded notice; a real one is a few KB.
const MaxCSVBytes = 512 << 10

// Year limits: a notice for a year outside them is a typo.
const (
	MinYear = 2000
	MaxYear = 2100
)

// CheckYear validates the year an import is for.
func CheckYear(year int) error {
	if year < MinYear || year > MaxYear {
		return tongban.FieldError("year", "年份应在 %d 至 %d 之间，实为 %d", MinYear, MaxYear, year)
	}
	return nil
}

// ParseYearCSV reads one year's notice in the ParseCSV format and checks it
// as a whole: every entry must fall in year (so one file cannot change
// another year's days) and at least one must be a holiday (an empty file
// would declare a year of plain weekends). Problems name the row and column
// like ParseCSV's.
func ParseYearCSV(r io.Reader, year int) ([]Day, error) {
	if err := CheckYear(year); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, tongban.Wrap(tongban.EInvalid, err, "读取文件失败")
	}
	if len(data) > MaxCSVBytes {
		return nil, tongban.FieldError("file", "文件不能超过 %d KB", MaxCSVBytes>>10)
	}
	days, err := ParseCSV(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	lines := recordLines(data)
	var errs []error
	for i, d := range days {
		if d.Date.Year() != year && len(errs) < maxCSVErrors {
			errs = append(errs, tongban.FieldError("date", "第%d行 date: %s 不在 %d 年内，一次只能导入一年的安排", lines[i], d.Date, year))
		}
	}
	if len(errs) == 0 && !hasHoliday(days) {
		errs = append(errs, tongban.FieldError("file", "文件中没有 %d 年的放假日期；节假日安排至少包含元旦、春节等假日", year))
	}
	switch len(errs) {
	case 0:
		return days, nil
	case 1:
		return nil, errs[0]
	}
	return nil, errors.Join(errs...)
}

// recordLines returns the line of each data row of a file ParseCSV has
// accepted: the same records in the same order, so they match its days
// one to one even when blank lines are skipped.
func recordLines(data []byte) []int {
	br := bufio.NewReader(bytes.NewReader(data))
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	var lines []int
	for header := true; ; header = false {
		if _, err := cr.Read(); err != nil {
			return lines
		}
		if !header {
			line, _ := cr.FieldPos(0)
			lines = append(lines, line)
		}
	}
}

func hasHoliday(days []Day) bool {
	for _, d := range days {
		if d.Kind == Holiday {
			return true
		}
	}
	return false
}

// Problems splits an error from ParseCSV, ParseYearCSV or an import into
// its coded parts, for listing each on a page.
func Problems(err error) []*tongban.Error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*tongban.Error
		for _, e := range j.Unwrap() {
			out = append(out, Problems(e)...)
		}
		return out
	}
	return []*tongban.Error{tongban.AsError(err)}
}
