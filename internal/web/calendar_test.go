package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/demo"
)

// calendarNow is when these tests run: 2027's notice is not out yet.
var calendarNow = time.Date(2026, 11, 22, 10, 0, 0, 0, calendar.Location())

// browser is a cookie-keeping client that signs in through the login form,
// as a person would, so the pages' CSRF tokens are exercised for real.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func calendarSite(t *testing.T) (*browser, *app.App) {
	t.Helper()
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir, DB: filepath.Join(dir, "t.db"), Demo: true, Secret: strings.Repeat("cd", 32)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := apptest.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.NewManualClock(calendarNow))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() { srv.Close(); a.Close() })
	jar, _ := cookiejar.New(nil)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: noRedirect}}, a
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// csrfToken finds a page's token: in the layout's meta for a signed-in
// user, else in a form's hidden field (an anonymous page has one only
// where it has a form).
var csrfToken = regexp.MustCompile(`name="csrf-token" content="([0-9a-f]+)"|name="csrf_token" value="([0-9a-f]+)"`)

func (b *browser) csrf(page string) string {
	b.t.Helper()
	m := csrfToken.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatal("page has no CSRF token")
	}
	return m[1] + m[2]
}

func (b *browser) signIn(login string) {
	b.t.Helper()
	_, page := b.get("/login")
	resp, err := b.c.PostForm(b.base+"/login", url.Values{"login": {login}, "password": {demo.Password}, "csrf_token": {b.csrf(page)}})
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d", login, resp.StatusCode)
	}
}

// upload posts the import form as the page would send it.
func (b *browser) upload(year, name, csv string) (int, string, string) {
	b.t.Helper()
	_, page := b.get("/console/calendar")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", b.csrf(page))
	mw.WriteField("year", year)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(csv))
	mw.Close()
	resp, err := b.c.Post(b.base+"/console/calendar", mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out), resp.Header.Get("Location")
}

const (
	warning2027 = "2027 年节假日安排未导入，跨入该年的到期日为暂定"
	notice2027  = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,workday,春节\n2027-02-08,holiday,春节\n"
)

func TestCalendarPageImportsAYear(t *testing.T) {
	t.Parallel()
	b, a := calendarSite(t)
	b.signIn("admin")

	// The console warns the admin and links to the page.
	_, console := b.get("/console")
	if !strings.Contains(console, warning2027) || !strings.Contains(console, `href="/console/calendar"`) {
		t.Error("console lacks the 2027 warning or the calendar link")
	}
	status, page := b.get("/console/calendar")
	if status != http.StatusOK || !strings.Contains(page, warning2027) {
		t.Fatalf("page: %d, warning shown %v", status, strings.Contains(page, warning2027))
	}
	for _, want := range []string{`id="year-2026"`, "2月14日", "2月23日", "10月11日", `href="/console/calendar/2025.csv"`, `value="2027"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	// A bad file: every problem listed by row and column, nothing stored.
	bad := "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n2027-02-09,workday,春节\n"
	status, page, _ = b.upload("2027", "bad.csv", bad)
	if status != http.StatusBadRequest {
		t.Errorf("bad upload: status %d", status)
	}
	for _, want := range []string{`id="calendar-errors"`, "第3行 date: 日期格式应为 YYYY-MM-DD", "第4行 kind: 2027-02-09 是星期二"} {
		if !strings.Contains(page, want) {
			t.Errorf("refused page lacks %q", want)
		}
	}
	status, page, _ = b.upload("2027", "other-year.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2026-12-31,holiday,元旦\n")
	if status != http.StatusBadRequest || !strings.Contains(page, "第3行 date: 2026-12-31 不在 2027 年内") {
		t.Errorf("other-year upload: %d", status)
	}
	if years, _ := a.Store.CalendarYears(context.Background()); len(years) != 3 || a.Calendar.Current().Loaded(2027) {
		t.Fatalf("refused uploads stored something: %v", years)
	}

	// A good file: loaded, warning gone, due dates into 2027 final.
	status, _, loc := b.upload("2027", "2027.csv", notice2027)
	if status != http.StatusSeeOther || loc != "/console/calendar" {
		t.Fatalf("good upload: %d → %q", status, loc)
	}
	_, page = b.get(loc)
	if strings.Contains(page, warning2027) || !strings.Contains(page, `id="year-2027"`) || !strings.Contains(page, "放假 2 天、调休上班 1 天") {
		t.Error("after import the page still warns, or lacks 2027 and the flash")
	}
	if !strings.Contains(page, "页面导入：2027.csv") {
		t.Error("page does not show where 2027 came from")
	}
	res := a.Calendar.Current().Due(time.Date(2026, 12, 30, 9, 0, 0, 0, calendar.Location()), 5, nil)
	if res.Provisional || res.Due.String() != "2027-01-07" {
		t.Errorf("due into 2027 after import = %+v, want 2027-01-07 final", res)
	}
	if _, console = b.get("/console"); strings.Contains(console, warning2027) {
		t.Error("console still warns after the import")
	}
	entries, _ := audit.Entries(context.Background(), a.Store, 0, 1000)
	last := entries[len(entries)-1]
	if last.Action != tongban.AuditCalendarImport || last.Object != "calendar:2027" || last.Actor != "系统管理员" {
		t.Errorf("audit entry = %+v", last)
	}

	// Download gives the file back, with a BOM for Excel; it imports again.
	resp, err := b.c.Get(b.base + "/console/calendar/2027.csv")
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || string(csv) != "\uFEFF"+notice2027 {
		t.Errorf("download: %s %q", ct, csv)
	}
	if status, _, _ := b.upload("2027", "holidays-2027.csv", string(csv)); status != http.StatusSeeOther {
		t.Errorf("re-import of a download: %d", status)
	}
	if status, _ := b.get("/console/calendar/2031.csv"); status != http.StatusNotFound {
		t.Errorf("download of an unloaded year: %d", status)
	}
}

func TestCalendarPageIsForSysAdmins(t *testing.T) {
	t.Parallel()
	b, _ := calendarSite(t)
	if status, _ := b.get("/console/calendar"); status != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", status)
	}
	b.signIn("clerk")
	if status, _ := b.get("/console/calendar"); status != http.StatusForbidden {
		t.Errorf("clerk: %d", status)
	}
	if _, console := b.get("/console"); strings.Contains(console, "/console/calendar") || strings.Contains(console, warning2027) {
		t.Error("clerk's console shows the calendar link or warning")
	}
	// The form post is refused before anything is read.
	_, page := b.get("/console")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", b.csrf(page))
	mw.WriteField("year", "2027")
	fw, _ := mw.CreateFormFile("file", "2027.csv")
	fw.Write([]byte(notice2027))
	mw.Close()
	resp, err := b.c.Post(b.base+"/console/calendar", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("clerk upload: %d", resp.StatusCode)
	}
}

func TestCalendarUploadTooLarge(t *testing.T) {
	t.Parallel()
	b, _ := calendarSite(t)
	b.signIn("admin")
	status, page, _ := b.upload("2027", "big.csv", "date,kind,name\n"+strings.Repeat("2027-01-01,holiday,元旦\n", calendar.MaxCSVBytes/20))
	if status != http.StatusBadRequest || !strings.Contains(page, "文件不能超过") {
		t.Errorf("oversized upload: %d", status)
	}
}
