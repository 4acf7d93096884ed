package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
)

// calendarSite is site with the clock at 2026-11-22, before 2027's notice.
func calendarSite(t *testing.T) (*httptest.Server, *app.App) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("ab", 32)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	clock := tongban.NewManualClock(time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC))
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := contractServer(t, a)
	return srv, a
}

type due struct {
	Due           string `json:"due"`
	Provisional   bool   `json:"provisional"`
	UnloadedYears []int  `json:"unloaded_years"`
	Note          string `json:"note"`
}

func getDue(t *testing.T, c *client, query string) due {
	t.Helper()
	status, body := c.do("GET", "/api/v1/calendar/due?"+query, nil)
	var d due
	if status != http.StatusOK || json.Unmarshal(body, &d) != nil {
		t.Fatalf("due?%s: %d %s", query, status, body)
	}
	return d
}

func TestCalendarDue(t *testing.T) {
	t.Parallel()
	srv, _ := calendarSite(t)
	c := newClient(t, srv) // public: no sign-in
	if d := getDue(t, c, "from=2025-09-30&days=5"); d.Due != "2025-10-14" || d.Provisional || len(d.UnloadedYears) != 0 {
		t.Errorf("2025-09-30 + 5 = %+v, want 2025-10-14 final", d)
	}
	// 2026 春节: 02-15..02-23 off, 02-14 and 02-28 worked.
	if d := getDue(t, c, "from=2026-02-13&days=2"); d.Due != "2026-02-24" || d.Provisional {
		t.Errorf("2026-02-13 + 2 = %+v, want 2026-02-24", d)
	}
	if d := getDue(t, c, "from=2026-12-30&days=5"); d.Due != "2027-01-06" || !d.Provisional ||
		!reflect.DeepEqual(d.UnloadedYears, []int{2027}) || d.Note != "暂定：2027 年节假日安排未导入" {
		t.Errorf("into 2027 = %+v, want provisional with 2027 unloaded", d)
	}
	if d := getDue(t, c, "from=2026-12-30&days=0"); d.Due != "2026-12-30" || d.Provisional {
		t.Errorf("即办 = %+v", d)
	}
	for _, tc := range []struct{ query, field string }{
		{"from=2025/09/30&days=5", "from"},
		{"from=2025-02-30&days=5", "from"},
		{"days=5", "from"},
		{"from=2025-09-30&days=five", "days"},
		{"from=2025-09-30&days=-1", "days"},
		{"from=2025-09-30", "days"},
		{"from=2025-09-30&days=100000", "days"},
	} {
		status, body := c.do("GET", "/api/v1/calendar/due?"+tc.query, nil)
		wantError(t, status, body, 400, "invalid", tc.field)
	}
}

func TestCalendarWorkdayAndYears(t *testing.T) {
	t.Parallel()
	srv, _ := calendarSite(t)
	c := newClient(t, srv)
	status, body := c.do("GET", "/api/v1/calendar/workday?date=2025-09-28", nil)
	var v struct {
		Workday     bool   `json:"workday"`
		Provisional bool   `json:"provisional"`
		Kind        string `json:"kind"`
		Answer      string `json:"answer"`
	}
	if json.Unmarshal(body, &v); status != 200 || !v.Workday || v.Kind != "workday" || v.Answer != "是（调休上班：国庆节、中秋节）" {
		t.Errorf("workday 2025-09-28: %d %s", status, body)
	}
	status, body = c.do("GET", "/api/v1/calendar/workday?date=2027-01-01", nil)
	if json.Unmarshal(body, &v); status != 200 || !v.Workday || !v.Provisional {
		t.Errorf("workday 2027-01-01: %d %s", status, body)
	}
	status, body = c.do("GET", "/api/v1/calendar/workday?date=tomorrow", nil)
	wantError(t, status, body, 400, "invalid", "date")

	status, body = c.do("GET", "/api/v1/calendar/years", nil)
	var ys struct {
		Years []struct {
			Year     int `json:"year"`
			Holidays int `json:"holidays"`
			Workdays int `json:"workdays"`
		} `json:"years"`
		Missing  []int    `json:"missing"`
		Warnings []string `json:"warnings"`
	}
	if json.Unmarshal(body, &ys); status != 200 || len(ys.Years) != 3 || ys.Years[0].Year != 2024 ||
		!reflect.DeepEqual(ys.Missing, []int{2027}) || len(ys.Warnings) != 1 {
		t.Errorf("years: %d %s", status, body)
	}
	// 2025: 元旦 1, 春节 6 (+2 worked), 清明 1, 劳动节 3 (+1), 端午 1, 国庆中秋 6 (+2).
	if y := ys.Years[1]; y.Holidays != 18 || y.Workdays != 5 {
		t.Errorf("2025 summary = %+v", y)
	}
	status, body = c.do("GET", "/api/v1/calendar/years/2026", nil)
	if status != 200 || !strings.Contains(string(body), `{"date":"2026-02-14","kind":"workday","name":"春节"}`) {
		t.Errorf("year 2026: %d %s", status, body)
	}
	status, body = c.do("GET", "/api/v1/calendar/years/MMXXVI", nil)
	wantError(t, status, body, 400, "invalid", "year")
}

func TestCalendarPutYear(t *testing.T) {
	t.Parallel()
	srv, a := calendarSite(t)
	anon := newClient(t, srv)
	csv := []byte("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n2027-02-08,holiday,春节\n")
	status, body := anon.do("PUT", "/api/v1/calendar/years/2027", csv, "Content-Type", "text/csv")
	wantError(t, status, body, 401, "unauthorized", "")

	clerk := newClient(t, srv)
	clerk.login("clerk")
	status, body = clerk.do("PUT", "/api/v1/calendar/years/2027", csv, "Content-Type", "text/csv")
	wantError(t, status, body, 403, "forbidden", "")

	admin := newClient(t, srv)
	admin.login("admin")
	bad := []byte("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n2027-02-09,workday,春节\n")
	status, body = admin.do("PUT", "/api/v1/calendar/years/2027", bad, "Content-Type", "text/csv; charset=utf-8")
	wantError(t, status, body, 400, "invalid", "date")
	if !strings.Contains(string(body), "第3行 date") || !strings.Contains(string(body), "第4行 kind") {
		t.Errorf("CSV problems not all reported: %s", body)
	}
	status, body = admin.json("PUT", "/api/v1/calendar/years/2027", []tongban.CalendarDay{{Date: "2026-12-31", Kind: "holiday", Name: "元旦"}})
	wantError(t, status, body, 400, "invalid", "date")
	if a.Calendar.Current().Loaded(2027) {
		t.Fatal("a refused import loaded 2027")
	}
	if d := getDue(t, anon, "from=2026-12-30&days=5"); !d.Provisional {
		t.Fatal("due into 2027 is final before the import")
	}

	status, body = admin.do("PUT", "/api/v1/calendar/years/2027", csv, "Content-Type", "text/csv")
	if status != 200 || !strings.Contains(string(body), `"holidays":2,"workdays":1`) {
		t.Fatalf("PUT CSV: %d %s", status, body)
	}
	if d := getDue(t, anon, "from=2026-12-30&days=5"); d.Due != "2027-01-07" || d.Provisional {
		t.Errorf("due into 2027 after the import = %+v, want 2027-01-07 final", d)
	}
	// JSON replaces the year whole.
	status, body = admin.json("PUT", "/api/v1/calendar/years/2027", []tongban.CalendarDay{{Date: "2027-01-01", Kind: "holiday", Name: "元旦"}})
	if status != 200 || !strings.Contains(string(body), `"holidays":1,"workdays":0`) {
		t.Fatalf("PUT JSON: %d %s", status, body)
	}
	status, body = anon.do("GET", "/api/v1/calendar/years/2027", nil)
	if status != 200 || !strings.Contains(string(body), `"loaded":true,"days":[{"date":"2027-01-01","kind":"holiday","name":"元旦"}]`) {
		t.Errorf("2027 after JSON: %s", body)
	}
}
