package calendar

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

func TestParseCSVErrorsNameRowAndColumn(t *testing.T) {
	tests := []struct {
		name, in string
		field    string
		msg      string // prefix of the Chinese message
	}{
		{"bad date", "date,kind,name\n2025-10-01,holiday,国庆节\n2025/10/02,holiday,国庆节\n",
			"date", "第3行 date: 日期格式应为 YYYY-MM-DD"},
		{"impossible date", "date,kind,name\n2025-02-30,holiday,春节\n",
			"date", "第2行 date: 日期格式应为 YYYY-MM-DD"},
		{"unknown kind", "date,kind,name\n2025-10-01,off,国庆节\n",
			"kind", "第2行 kind: 类型应为 holiday（放假）或 workday（调休上班）"},
		{"duplicate date", "date,kind,name\n2025-10-01,holiday,国庆节\n2025-10-02,holiday,国庆节\n2025-10-01,holiday,国庆节\n",
			"date", "第4行 date: 日期 2025-10-01 与第2行重复"},
		{"workday on weekday", "date,kind,name\n2025-10-09,workday,国庆节\n",
			"kind", "第2行 kind: 2025-10-09 是星期四，本来就是工作日"},
		{"empty name", "date,kind,name\n2025-10-11,workday,\n",
			"name", "第2行 name: 名称不能为空"},
		{"column count", "date,kind,name\n2025-10-11,workday\n",
			"", "第2行: 应有 3 列"},
		{"bad header", "日期,类型,名称\n2025-10-11,workday,国庆节\n",
			"", "第1行: 表头应为 date,kind,name"},
		{"empty file", "", "", "第1行: 文件为空"},
		{"csv syntax", "date,kind,name\n2025-10-11,workday,\"国庆\"节\n",
			"", "第2行: CSV 格式错误"},
		// Blank lines are skipped but still counted, so row numbers match an editor.
		{"blank lines counted", "date,kind,name\n\n\n2025-13-01,holiday,x\n",
			"date", "第4行 date:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, err := ParseCSV(strings.NewReader(tt.in))
			if days != nil {
				t.Errorf("days returned with an error: %v", days)
			}
			var e *tongban.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *tongban.Error", err)
			}
			if e.Code != tongban.EInvalid || e.Field != tt.field || !strings.HasPrefix(e.Message, tt.msg) {
				t.Errorf("got code %s field %q message %q; want field %q, message starting %q", e.Code, e.Field, e.Message, tt.field, tt.msg)
			}
		})
	}
}

func TestParseCSVReportsEveryProblem(t *testing.T) {
	in := "date,kind,name\n" +
		"2025-10-01,holiday,国庆节\n" +
		"2025-10-32,holiday,国庆节\n" + // row 3: date
		"2025-10-09,workday,国庆节\n" + // row 4: kind
		"bad,worse,\n" // row 5: date, kind and name
	_, err := ParseCSV(strings.NewReader(in))
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("err = %v, want joined errors", err)
	}
	var got []string
	for _, e := range joined.Unwrap() {
		te := e.(*tongban.Error)
		got = append(got, te.Message[:strings.Index(te.Message, ":")])
	}
	want := []string{"第3行 date", "第4行 kind", "第5行 date", "第5行 kind", "第5行 name"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
	if tongban.ErrorCodeOf(err) != tongban.EInvalid {
		t.Error("joined error lost its code")
	}
}

func TestParseCSVCapsErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,kind,name\n")
	for range 100 {
		b.WriteString("x,holiday,y\n")
	}
	_, err := ParseCSV(strings.NewReader(b.String()))
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != maxCSVErrors {
		t.Errorf("%d errors, want %d", n, maxCSVErrors)
	}
}

func TestParseCSVAccepts(t *testing.T) {
	in := "\uFEFFDate, Kind ,Name\r\n" + // Excel: BOM, CRLF, stray spaces, capitals
		"2025-10-04,holiday,国庆节、中秋节\r\n" + // Saturday holiday: meaningless but fine
		"2025-10-11, Workday ,\"国庆节,中秋节\"\r\n"
	got, err := ParseCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{
		{NewDate(2025, 10, 4), Holiday, "国庆节、中秋节"},
		{NewDate(2025, 10, 11), Workday, "国庆节,中秋节"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got, err := ParseCSV(strings.NewReader("date,kind,name\n")); err != nil || len(got) != 0 {
		t.Errorf("header only: %v, %v", got, err)
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	days, _ := Seed()
	// Reverse the order: WriteCSV sorts.
	rev := make([]Day, len(days))
	for i, e := range days {
		rev[len(days)-1-i] = e
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rev); err != nil {
		t.Fatal(err)
	}
	if buf.String() != holidaysCSV {
		t.Error("WriteCSV(Seed()) differs from the embedded holidays.csv")
	}
	back, err := ParseCSV(&buf)
	if err != nil || !reflect.DeepEqual(back, days) {
		t.Errorf("round trip: %v", err)
	}
}
