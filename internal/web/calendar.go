package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// maxCalendarUpload bounds the whole multipart post: the CSV plus room for
// the form fields and part headers.
const maxCalendarUpload = calendar.MaxCSVBytes + 64<<10

type calendarPage struct {
	Base
	Warnings []string
	Years    []calendarYearView
	Year     int      // the upload form's year
	Problems []string // of a refused upload, by row and column
}

type calendarYearView struct {
	Year      int
	LoadedAt  time.Time
	Source    string
	Festivals []festivalView
}

// festivalView groups a festival's listed days: the weekdays off and the
// weekend days worked (weekend holidays are off anyway and not listed).
type festivalView struct {
	Name        string
	Off, Worked []string
}

// consoleCalendar shows the loaded years and the import form.
func (w *Web) consoleCalendar(rw http.ResponseWriter, r *http.Request) error {
	if err := w.requireCalendar(r); err != nil {
		return err
	}
	p, err := w.calendarPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "calendar", p)
}

func (w *Web) requireCalendar(r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	return w.Identity.Require(u, identity.PermCalendarEdit)
}

func (w *Web) calendarPage(rw http.ResponseWriter, r *http.Request) (calendarPage, error) {
	p := calendarPage{Base: w.base(rw, r, "节假日安排")}
	years, err := w.Store.CalendarYears(r.Context())
	if err != nil {
		return p, err
	}
	s := w.Calendar.Current()
	now := w.Identity.Clock.Now()
	for _, y := range s.Missing(now) {
		p.Warnings = append(p.Warnings, calendar.MissingMessage(y))
	}
	p.Year = calendar.DateOf(now).Year() + 1
	if missing := s.Missing(now); len(missing) > 0 {
		p.Year = missing[0]
	}
	days := s.Days()
	// Newest first: next year's notice is what admins come for.
	for i := len(years) - 1; i >= 0; i-- {
		y := years[i]
		v := calendarYearView{Year: y.Year, LoadedAt: y.LoadedAt, Source: y.Source}
		index := map[string]int{}
		for _, d := range days {
			if d.Date.Year() != y.Year {
				continue
			}
			k, ok := index[d.Name]
			if !ok {
				k = len(v.Festivals)
				index[d.Name] = k
				v.Festivals = append(v.Festivals, festivalView{Name: d.Name})
			}
			label := fmt.Sprintf("%d月%d日", d.Date.Month(), d.Date.Day())
			if d.Kind == calendar.Workday {
				v.Festivals[k].Worked = append(v.Festivals[k].Worked, label)
			} else {
				v.Festivals[k].Off = append(v.Festivals[k].Off, label)
			}
		}
		p.Years = append(p.Years, v)
	}
	return p, nil
}

// calendarUpload imports one year's CSV. A refused file changes nothing
// and the page lists every problem by row and column.
func (w *Web) calendarUpload(rw http.ResponseWriter, r *http.Request) error {
	if err := w.requireCalendar(r); err != nil {
		return err
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.FormValue("year")))
	if err != nil {
		return w.calendarRefused(rw, r, year, tongban.FieldError("year", "请填写年份，如 2027"))
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return w.calendarRefused(rw, r, year, tongban.FieldError("file", "请选择要导入的 CSV 文件"))
	}
	defer file.Close()
	days, err := w.CalendarEditor.ImportCSV(r.Context(), year, file, "页面导入："+uploadName(hdr.Filename), w.request(r))
	if err != nil {
		return w.calendarRefused(rw, r, year, err)
	}
	holidays := 0
	for _, d := range days {
		if d.Kind == calendar.Holiday {
			holidays++
		}
	}
	flash := fmt.Sprintf("已导入 %d 年节假日安排：放假 %d 天、调休上班 %d 天。", year, holidays, len(days)-holidays)
	w.redirectFlash(rw, r, "/console/calendar", flash)
	return nil
}

// calendarRefused shows the page again with the problems of a refused
// upload; errors that are not about the input go to the error page.
func (w *Web) calendarRefused(rw http.ResponseWriter, r *http.Request, year int, err error) error {
	if tongban.ErrorCodeOf(err) != tongban.EInvalid {
		return err
	}
	p, perr := w.calendarPage(rw, r)
	if perr != nil {
		return perr
	}
	if year != 0 {
		p.Year = year
	}
	for _, e := range calendar.Problems(err) {
		p.Problems = append(p.Problems, e.Message)
	}
	return w.render(rw, r, http.StatusBadRequest, "calendar", p)
}

// uploadName keeps the base of a client-given file name, shortened, for
// the source column and the audit log.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if utf8.RuneCountInString(name) > 80 {
		name = string([]rune(name)[:80])
	}
	return name
}

// calendarExport downloads a year as CSV (/console/calendar/2026.csv), with
// a BOM so that Excel reads the Chinese names; import accepts it back.
func (w *Web) calendarExport(rw http.ResponseWriter, r *http.Request) error {
	if err := w.requireCalendar(r); err != nil {
		return err
	}
	file := r.PathValue("file")
	year, err := strconv.Atoi(strings.TrimSuffix(file, ".csv"))
	if err != nil || !strings.HasSuffix(file, ".csv") {
		return tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	s := w.Calendar.Current()
	if !s.Loaded(year) {
		return tongban.Errorf(tongban.ENotFound, "%d 年节假日安排未导入", year)
	}
	var days []calendar.Day
	for _, d := range s.Days() {
		if d.Date.Year() == year {
			days = append(days, d)
		}
	}
	rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
	rw.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="holidays-%d.csv"`, year))
	if _, err := rw.Write([]byte("\uFEFF")); err != nil {
		return err
	}
	return calendar.WriteCSV(rw, days)
}

// limitBody refuses posts over max before the form is parsed (the CSRF
// check parses it), so an oversized upload costs neither memory nor disk.
func (w *Web) limitBody(max int64, h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			w.renderError(rw, r, tongban.FieldError("file", "文件不能超过 %d KB", calendar.MaxCSVBytes>>10))
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, max)
		h(rw, r)
	}
}

// consoleWarnings are the console's banners for u: the holiday notices
// still missing for this year and next, shown to those who can load them.
func (w *Web) consoleWarnings(u *tongban.User) []string {
	if w.Calendar == nil || !w.Identity.Can(u, identity.PermCalendarEdit) {
		return nil
	}
	var out []string
	for _, y := range w.Calendar.Current().Missing(w.Identity.Clock.Now()) {
		out = append(out, calendar.MissingMessage(y))
	}
	return out
}

func init() {
	for zh, en := range map[string]string{
		"节假日安排":             "Holiday calendar",
		"导入节假日安排":           "Import a holiday notice",
		"年份":                "Year",
		"年":                 "",
		"CSV 文件":            "CSV file",
		"导入":                "Import",
		"去导入":               "Import it",
		"下载 CSV":            "Download CSV",
		"节日":                "Festival",
		"放假（工作日）":           "Days off (weekdays)",
		"调休上班（周末）":          "Make-up workdays (weekends)",
		"导入时间":              "Loaded at",
		"来源":                "Source",
		calendar.SeedSource: "Built in: the State Council's holiday notices (holidays.csv)",
		"文件未导入，请修改后重新上传：": "The file was not imported. Fix these and upload it again:",
		"尚未导入任何年份。":       "No year is loaded yet.",
		"每次导入一年，整年替换。表头为 date,kind,name；kind 为 holiday（工作日放假）或 workday（周末调休上班）；周末放假无需列出。": "One year per import; it replaces the whole year. Header date,kind,name; kind is holiday (a weekday off) or workday (a weekend worked); weekend days off need not be listed.",
	} {
		english[zh] = en
	}
}
