package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// Dates travel as YYYY-MM-DD strings here, so the OpenAPI schema says so.

type dueAnswer struct {
	From          string `json:"from"` // acceptance date; day 1 is the working day after it
	Days          int    `json:"days"`
	Due           string `json:"due"`
	Provisional   bool   `json:"provisional"`    // a counted day lies in a year not loaded
	UnloadedYears []int  `json:"unloaded_years"` // those years, to import
	Note          string `json:"note,omitempty"`
}

type workdayAnswer struct {
	Date        string `json:"date"`
	Workday     bool   `json:"workday"`
	Provisional bool   `json:"provisional"`
	Kind        string `json:"kind,omitempty"` // holiday or workday, when the notice lists the date
	Name        string `json:"name,omitempty"`
	Reason      string `json:"reason"`
	Answer      string `json:"answer"` // e.g. 是（调休上班：国庆节）
}

type calendarYear struct {
	Year     int       `json:"year"`
	LoadedAt time.Time `json:"loaded_at"`
	Source   string    `json:"source"`
	Holidays int       `json:"holidays"` // weekday holidays listed
	Workdays int       `json:"workdays"` // weekend make-up workdays listed
}

type calendarYears struct {
	Years    []calendarYear `json:"years"`
	Missing  []int          `json:"missing"` // this year and next year, when not loaded
	Warnings []string       `json:"warnings"`
}

type calendarYearDays struct {
	Year   int                   `json:"year"`
	Loaded bool                  `json:"loaded"`
	Days   []tongban.CalendarDay `json:"days"`
}

func (a *API) calendarRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/calendar/due", Summary: "计算到期日：受理日期次日起第 N 个工作日", Tag: "calendar",
		Query: []Param{{Name: "from", Description: "受理日期 YYYY-MM-DD", Required: true},
			{Name: "days", Description: "时限（工作日数，0 = 即办）", Required: true}},
		Out: dueAnswer{}, handle: a.calendarDue})
	a.add(Route{Method: "GET", Path: "/api/v1/calendar/workday", Summary: "某日是否为工作日及原因", Tag: "calendar",
		Query: []Param{{Name: "date", Description: "日期 YYYY-MM-DD", Required: true}},
		Out:   workdayAnswer{}, handle: a.calendarWorkday})
	a.add(Route{Method: "GET", Path: "/api/v1/calendar/years", Summary: "已导入节假日安排的年份，及今明两年中未导入的年份", Tag: "calendar",
		Out: calendarYears{}, handle: a.calendarYears})
	a.add(Route{Method: "GET", Path: "/api/v1/calendar/years/{year}", Summary: "某年的放假和调休上班日期", Tag: "calendar",
		Out: calendarYearDays{}, handle: a.calendarYearDays})
	a.add(Route{Method: "PUT", Path: "/api/v1/calendar/years/{year}",
		Summary: "导入某年的节假日安排，整年替换（系统管理员）。请求体为 JSON 数组，或 text/csv（表头 date,kind,name）", Tag: "calendar",
		Access: staffOnly, In: []tongban.CalendarDay{}, Consumes: []string{"text/csv"}, Out: calendarYear{}, handle: a.putCalendarYear})
}

func queryDate(r *http.Request, name string) (calendar.Date, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return calendar.Date{}, tongban.FieldError(name, "缺少日期，格式 YYYY-MM-DD")
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}, tongban.FieldError(name, "日期格式应为 YYYY-MM-DD，实为 %q", s)
	}
	return d, nil
}

func (a *API) calendarDue(w http.ResponseWriter, r *http.Request) error {
	from, err := queryDate(r, "from")
	if err != nil {
		return err
	}
	days, err := strconv.Atoi(r.URL.Query().Get("days"))
	if err != nil || days < 0 || days > calendar.MaxDays {
		return tongban.FieldError("days", "应为 0 至 %d 之间的整数", calendar.MaxDays)
	}
	s := a.Calendar.Current()
	res := s.Due(from.Time(), days, nil)
	out := dueAnswer{From: from.String(), Days: days, Due: res.Due.String(), Provisional: res.Provisional, UnloadedYears: []int{}}
	if res.Provisional {
		// Only days after acceptance are counted, so only their years matter.
		out.UnloadedYears = s.UnloadedYearsTouched(from.AddDays(1).Time(), res.Due.Time())
		out.Note = "暂定：" + calendar.NotLoaded(out.UnloadedYears...)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) calendarWorkday(w http.ResponseWriter, r *http.Request) error {
	d, err := queryDate(r, "date")
	if err != nil {
		return err
	}
	v := a.Calendar.Current().Explain(d)
	return writeJSON(w, http.StatusOK, workdayAnswer{Date: d.String(), Workday: v.Workday, Provisional: v.Provisional,
		Kind: string(v.Kind), Name: v.Name, Reason: v.Reason, Answer: v.String()})
}

func (a *API) calendarYears(w http.ResponseWriter, r *http.Request) error {
	years, err := a.Store.CalendarYears(r.Context())
	if err != nil {
		return err
	}
	s := a.Calendar.Current()
	out := calendarYears{Years: []calendarYear{}, Missing: nonNil(s.Missing(a.Identity.Clock.Now())), Warnings: []string{}}
	for _, y := range years {
		out.Years = append(out.Years, yearSummary(s, y))
	}
	for _, y := range out.Missing {
		out.Warnings = append(out.Warnings, calendar.MissingMessage(y))
	}
	return writeJSON(w, http.StatusOK, out)
}

func yearSummary(s *calendar.Schedule, y tongban.CalendarYear) calendarYear {
	out := calendarYear{Year: y.Year, LoadedAt: y.LoadedAt, Source: y.Source}
	for _, d := range s.Days() {
		switch {
		case d.Date.Year() != y.Year:
		case d.Kind == calendar.Holiday:
			out.Holidays++
		default:
			out.Workdays++
		}
	}
	return out
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, tongban.FieldError("year", "年份应为四位数字，如 2027")
	}
	return y, calendar.CheckYear(y)
}

func (a *API) calendarYearDays(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	s := a.Calendar.Current()
	var days []calendar.Day
	for _, d := range s.Days() {
		if d.Date.Year() == year {
			days = append(days, d)
		}
	}
	return writeJSON(w, http.StatusOK, calendarYearDays{Year: year, Loaded: s.Loaded(year), Days: calendar.ToStored(days)})
}

func (a *API) putCalendarYear(w http.ResponseWriter, r *http.Request) error {
	year, err := pathYear(r)
	if err != nil {
		return err
	}
	req := a.request(r)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "text/csv":
		body := http.MaxBytesReader(w, r.Body, calendar.MaxCSVBytes)
		data, err := io.ReadAll(body)
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tongban.FieldError("body", "CSV 不能超过 %d KB", calendar.MaxCSVBytes>>10)
		} else if err != nil {
			return tongban.Wrap(tongban.EInvalid, err, "读取请求体失败")
		}
		if _, err := a.CalendarEditor.ImportCSV(r.Context(), year, bytes.NewReader(data), "接口导入（CSV）", req); err != nil {
			return allProblems(err)
		}
	default:
		var in []tongban.CalendarDay
		if err := decode(w, r, &in); err != nil {
			return err
		}
		days, err := calendar.FromStored(in)
		if err != nil {
			return err
		}
		if err := a.CalendarEditor.ImportYear(r.Context(), year, days, "接口导入（JSON）", req); err != nil {
			return err
		}
	}
	years, err := a.Store.CalendarYears(r.Context())
	if err != nil {
		return err
	}
	for _, y := range years {
		if y.Year == year {
			return writeJSON(w, http.StatusOK, yearSummary(a.Calendar.Current(), y))
		}
	}
	return tongban.Errorf(tongban.EInternal, "%d 年导入后未找到", year)
}

// allProblems folds every row problem of a CSV into one error, so a client
// sees them all at once; the field is the first problem's.
func allProblems(err error) error {
	ps := calendar.Problems(err)
	if len(ps) < 2 {
		return err
	}
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return &tongban.Error{Code: ps[0].Code, Field: ps[0].Field, Message: strings.Join(msgs, "；")}
}
