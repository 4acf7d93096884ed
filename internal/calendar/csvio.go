package calendar

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tongban/tongban"
)

// csvHeader is the one accepted header of the import/export format.
var csvHeader = []string{"date", "kind", "name"}

const (
	maxCSVRows   = 10000 // far above any notice; bounds memory on bad uploads
	maxCSVErrors = 20    // enough to fix a file in one go without flooding the page
)

// ParseCSV reads the admin import format: a header "date,kind,name", then one
// row per listed day (date YYYY-MM-DD, kind holiday or workday, name). A UTF-8
// BOM (as Excel writes) is ignored. Every problem found is reported with its
// row and column, e.g. "第3行 date: 日期格式应为 YYYY-MM-DD", as a
// *tongban.Error (EInvalid, Field = column); several problems are joined with
// errors.Join in row order, so errors.As finds the first. Rows are numbered as
// lines of the file, the header being 第1行.
func ParseCSV(r io.Reader) ([]Day, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // we report column counts ourselves, in Chinese

	var (
		days   []Day
		errs   []error
		seenAt = map[Date]int{}
	)
	fail := func(line int, field, format string, args ...any) {
		prefix := fmt.Sprintf("第%d行", line)
		if field != "" {
			prefix += " " + field
		}
		errs = append(errs, tongban.FieldError(field, "%s: %s", prefix, fmt.Sprintf(format, args...)))
	}

	header := true
	for len(errs) < maxCSVErrors {
		rec, err := cr.Read()
		if err == io.EOF {
			if header {
				fail(1, "", "文件为空，应以表头 date,kind,name 开始")
			}
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			fail(line, "", "CSV 格式错误（%v）", err)
			break // the reader cannot be trusted past a syntax error
		}
		line, _ := cr.FieldPos(0)
		if header {
			header = false
			if !isHeader(rec) {
				fail(line, "", "表头应为 date,kind,name")
				break // columns unknown: every row would be misread
			}
			continue
		}
		if len(days) >= maxCSVRows {
			fail(line, "", "行数超过上限 %d", maxCSVRows)
			break
		}
		if len(rec) != len(csvHeader) {
			fail(line, "", "应有 3 列（date,kind,name），实际 %d 列", len(rec))
			continue
		}
		d, ok := parseRow(rec, line, seenAt, fail)
		if ok {
			seenAt[d.Date] = line
			days = append(days, d)
		}
	}
	switch len(errs) {
	case 0:
		return days, nil
	case 1:
		return nil, errs[0]
	}
	return nil, errors.Join(errs...)
}

func isHeader(rec []string) bool {
	if len(rec) != len(csvHeader) {
		return false
	}
	for i, f := range rec {
		if strings.ToLower(strings.TrimSpace(f)) != csvHeader[i] {
			return false
		}
	}
	return true
}

// parseRow checks each column on its own, so one pass reports them all.
func parseRow(rec []string, line int, seenAt map[Date]int, fail func(int, string, string, ...any)) (Day, bool) {
	ok := true
	dateText := strings.TrimSpace(rec[0])
	date, err := ParseDate(dateText)
	if err != nil {
		fail(line, "date", "日期格式应为 YYYY-MM-DD，实为 %q", dateText)
		ok = false
	} else if prev, dup := seenAt[date]; dup {
		fail(line, "date", "日期 %s 与第%d行重复", date, prev)
		ok = false
	}
	kind := Kind(strings.ToLower(strings.TrimSpace(rec[1])))
	if !kind.Valid() {
		fail(line, "kind", "类型应为 holiday（放假）或 workday（调休上班），实为 %q", strings.TrimSpace(rec[1]))
		ok = false
	}
	d := Day{Date: date, Kind: kind, Name: strings.TrimSpace(rec[2])}
	// Reuse the schedule's rules for what remains, naming this row.
	if err == nil && kind.Valid() {
		if e := checkDay(d); e != nil {
			fail(line, e.Field, "%s", e.Message)
			ok = false
		}
	} else if e := checkName(d.Name); e != nil {
		fail(line, e.Field, "%s", e.Message)
		ok = false
	}
	return d, ok
}

// WriteCSV writes days in the format ParseCSV reads, sorted by date.
func WriteCSV(w io.Writer, days []Day) error {
	ds := slices.Clone(days)
	sortDays(ds)
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, d := range ds {
		if err := cw.Write([]string{d.Date.String(), string(d.Kind), d.Name}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
