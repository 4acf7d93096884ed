package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// Cases (办件) over HTTP. The handlers decode, call the workflow and encode;
// who may do what, and when, is decided in internal/workflow.

// caseView is a case as its page needs it: the case, where its clock
// stands, its history, and what the caller can do next.
type caseView struct {
	*tongban.Case
	StateLabel   string      `json:"state_label"`
	ChannelLabel string      `json:"channel_label"`
	StepName     string      `json:"step_name,omitempty"` // the review step it waits at, once accepted
	Time         timeView    `json:"time"`
	Actions      []string    `json:"actions"` // endpoints the caller may try: accept, review…
	Notices      []string    `json:"notices"` // notice kinds available as PDF
	Events       []eventView `json:"events"`
	// Bundle is set on the parent of a 一件事 application: its sub-cases,
	// derived state and one 补正 notice (its own case fields stay empty).
	Bundle *bundleCaseView `json:"bundle,omitempty"`
}

// caseItem is a case in a list: no form (it may hold personal data) and
// no history.
type caseItem struct {
	*tongban.Case
	StateLabel string   `json:"state_label"`
	Time       timeView `json:"time"`
}

type casePage struct {
	Total int        `json:"total"`
	Cases []caseItem `json:"cases"`
}

// timeView is workflow.TimeStatus for clients (电子监察).
type timeView struct {
	Started     bool   `json:"started"` // accepted: the clock has started
	Running     bool   `json:"running"` // accepted and not yet decided
	Paused      bool   `json:"paused"`  // waiting on the applicant (补正) or a 特别程序
	Due         string `json:"due,omitempty"`
	DaysLeft    int    `json:"days_left"` // working days; negative when late; frozen while paused
	Level       string `json:"level"`     // ok | yellow | red
	LevelLabel  string `json:"level_label"`
	Provisional bool   `json:"provisional"` // the due date reaches a year whose holidays are not loaded
	OnTime      bool   `json:"on_time"`     // for a decided case: decided by its due date
}

func timeOf(ts workflow.TimeStatus) timeView {
	return timeView{Started: ts.Due != "", Running: ts.Running, Paused: ts.Paused, Due: ts.Due, DaysLeft: ts.DaysLeft,
		Level: ts.Level.String(), LevelLabel: ts.Level.Label(), Provisional: ts.Provisional, OnTime: ts.OnTime}
}

type eventView struct {
	*tongban.CaseEvent
	ActionLabel string `json:"action_label"`
	ToLabel     string `json:"to_label"`
}

func eventsOf(evs []*tongban.CaseEvent) []eventView {
	out := make([]eventView, len(evs))
	for i, e := range evs {
		out[i] = eventView{CaseEvent: e, ActionLabel: e.Action.Label(), ToLabel: e.To.Label()}
	}
	return out
}

func (a *API) caseRoutes() {
	a.uploadRoutes()
	page := []Param{{Name: "limit", Description: "每页条数，默认 100，最多 1000"}, {Name: "offset", Description: "跳过条数"}}
	a.add(Route{Method: "POST", Path: "/api/v1/cases", Tag: "cases", Access: signedIn,
		Summary: "提交申请：申请人网上提交；综合窗口人员凭 applicant_id_number（或 applicant_credit_code）代申请人窗口收件。" +
			"尚无账号的申请人（一窗受理）另填 applicant_name、applicant_phone（法人另填 applicant_legal_rep_name），窗口为其登记后照常受理，返回 201；" +
			"pickup_hall_id 为申请人选择的领取大厅（全市通办事项可选全市任一大厅）。请求头 Idempotency-Key 使重试只产生一个办件：首次 201，重试 200 返回同一办件",
		In: applicationInput{}, Out: caseView{}, Status: http.StatusCreated, handle: a.submitCase,
		Responses: []Response{{Status: http.StatusOK, Description: "重试：同一 Idempotency-Key 已提交过，返回首次提交的办件", Out: caseView{}}}})
	a.add(Route{Method: "GET", Path: "/api/v1/cases", Tag: "cases", Access: signedIn,
		Summary: "办件列表：申请人为本人办件（新的在前）；工作人员为所在部门、专区或大厅的队列（按剩余时间排序）",
		Query: append([]Param{{Name: "state", Description: "状态，可用逗号分隔多个，如 submitted,accepted"},
			{Name: "org", Description: "承办部门 ID（工作人员）"}, {Name: "board", Description: "后台审批专区 ID（工作人员）"},
			{Name: "region", Description: "行政区划代码：该区划及其下级（窗口人员、监察人员）"},
			{Name: "overdue", Description: "1 = 只列超期办件"}}, page...),
		Out: casePage{}, handle: a.listCases})
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}", Tag: "cases", Access: signedIn,
		Summary: "办件详情：状态、时限（剩余工作日、预警级别、是否暂停）、办理记录、当前可办操作、可下载的通知书；ETag 为版本号",
		Out:     caseView{}, handle: a.getCase})
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}/events", Tag: "cases", Access: signedIn,
		Summary: "办件的办理记录（不可更改的事件，按发生顺序）", Out: []eventView{}, handle: a.caseEvents})
	a.actionRoutes()
	a.noticeRoutes()
	a.supervisionRoutes()
}

// caseRequest is the workflow request of r, with the case version from
// If-Match when given.
func (a *API) caseRequest(r *http.Request) (workflow.Request, error) {
	req := workflow.Request{Actor: httpx.User(r.Context()), IP: httpx.ClientIP(r, a.Proxies)}
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return req, nil
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	if err != nil || n < 1 {
		return req, tongban.FieldError("If-Match", "If-Match 应为办件版本号，如 \"3\"")
	}
	req.Version = n
	return req, nil
}

// view builds a case's full view for the caller.
func (a *API) view(ctx context.Context, u *tongban.User, c *tongban.Case) (caseView, error) {
	evs := c.Events
	if evs == nil {
		var err error
		if evs, err = a.Store.CaseEvents(ctx, c.ID); err != nil {
			return caseView{}, err
		}
	}
	// Listing versions are immutable: the workflow's cache spares the read
	// and the snapshot's JSON decoding on every view.
	l, err := a.Workflow.ListingVersion(ctx, c.ListingID, c.ListingVersion)
	if err != nil {
		return caseView{}, err
	}
	proc := workflow.ProcessOf(l)
	ts, err := a.Workflow.TimeStatus(ctx, c, a.Workflow.Clock.Now())
	if err != nil {
		return caseView{}, err
	}
	v := caseView{Case: c, StateLabel: c.State.Label(), ChannelLabel: c.Channel.Label(), Time: timeOf(ts),
		Actions: actionHints(u, c, proc, evs), Notices: noticeKinds(c, evs), Events: eventsOf(evs)}
	if !c.AcceptedAt.IsZero() {
		v.StepName = proc.Name(c.Step)
	}
	return v, nil
}

// writeCase answers with the case's view and its version as ETag, for
// If-Match on the next action.
func (a *API) writeCase(w http.ResponseWriter, r *http.Request, status int, c *tongban.Case) error {
	v, err := a.view(r.Context(), httpx.User(r.Context()), c)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+strconv.Itoa(c.Version)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	return writeCaseView(w, status, &v)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) error {
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumberWithEvents(r.Context(), req, r.PathValue("number"))
	if tongban.IsCode(err, tongban.ENotFound) && a.Bundles != nil {
		return a.getBundleCase(w, r) // the parent of a 一件事
	}
	if err != nil {
		return err
	}
	return a.writeCase(w, r, http.StatusOK, c)
}

func (a *API) caseEvents(w http.ResponseWriter, r *http.Request) error {
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumber(r.Context(), req, r.PathValue("number"))
	if err != nil {
		return err
	}
	evs, err := a.Store.CaseEvents(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, eventsOf(evs))
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	limit, offset, err := pageOf(r)
	if err != nil {
		return err
	}
	req, _ := a.caseRequest(r)
	u := req.Actor
	q := r.URL.Query()
	f := tongban.CaseFilter{Limit: limit, Offset: offset}
	if f.States, err = statesOf(q.Get("state")); err != nil {
		return err
	}
	if u.Kind != tongban.UserStaff {
		f.ApplicantID, f.Newest = u.ID, true
	} else {
		if f.OrgID, err = queryID(r, "org"); err != nil {
			return err
		}
		if f.BoardID, err = queryID(r, "board"); err != nil {
			return err
		}
		if f.Within, err = queryRegion(r, "region"); err != nil {
			return err
		}
		if f.OrgID == 0 && f.BoardID == 0 && f.Within == "" {
			if f, err = a.staffScope(ctx, u, f); err != nil {
				return err
			}
		}
	}
	now := a.Workflow.Clock.Now()
	var cs []*tongban.Case
	var total int
	switch q.Get("overdue") {
	case "", "0", "false":
		if cs, err = a.Workflow.List(ctx, req, f); err != nil {
			return err
		}
		if total, err = a.Store.CountCases(ctx, f); err != nil {
			return err
		}
	case "1", "true":
		if cs, err = a.Workflow.Overdue(ctx, req, f, now); err != nil {
			return err
		}
		total = offset + len(cs)
	default:
		return tongban.FieldError("overdue", "应为 1 或 0")
	}
	items, err := a.items(ctx, cs, now)
	if err != nil {
		return err
	}
	if u.Kind == tongban.UserStaff {
		byTimeLeft(items)
	}
	return writeJSON(w, http.StatusOK, casePage{Total: total, Cases: items})
}

// items are cases with their clocks, without their forms.
func (a *API) items(ctx context.Context, cs []*tongban.Case, now time.Time) ([]caseItem, error) {
	sched, err := a.Workflow.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]caseItem, 0, len(cs))
	for _, c := range cs {
		c.Form = nil
		out = append(out, caseItem{Case: c, StateLabel: c.State.Label(), Time: timeOf(workflow.StatusAt(sched, c, now))})
	}
	return out, nil
}

// byTimeLeft orders a queue page: running clocks by working days left
// (overdue first), then cases not yet accepted, then the rest, each group
// keeping the store's order (due date, then age).
func byTimeLeft(items []caseItem) {
	group := func(it caseItem) int {
		switch {
		case it.Time.Running:
			return 0
		case !it.Time.Started && it.State.Open():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(items, func(x, y caseItem) int {
		if gx, gy := group(x), group(y); gx != gy {
			return gx - gy
		}
		if group(x) == 0 {
			return x.Time.DaysLeft - y.Time.DaysLeft
		}
		return 0
	})
}

// staffScope is the default queue of a staff member who named none: the
// department of their first reviewing grant, the region of the hall their
// window belongs to, or the region they supervise.
func (a *API) staffScope(ctx context.Context, u *tongban.User, f tongban.CaseFilter) (tongban.CaseFilter, error) {
	for _, g := range u.Roles {
		perms := identity.PermissionsOf(g.Role)
		switch {
		case slices.Contains(perms, identity.PermCaseReview):
			f.OrgID = g.OrgID
			return f, nil
		case slices.Contains(perms, identity.PermCaseAccept), slices.Contains(perms, identity.PermCaseHandout),
			slices.Contains(perms, identity.PermSupervise):
			org, err := a.Store.Org(ctx, g.OrgID)
			if err != nil {
				return f, err
			}
			f.Within = org.RegionCode
			return f, nil
		}
	}
	return f, tongban.FieldError("org", "请指定部门、审批专区或行政区划")
}

func statesOf(s string) ([]tongban.CaseState, error) {
	var out []tongban.CaseState
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		st := tongban.CaseState(part)
		if !st.Valid() {
			return nil, tongban.FieldError("state", "状态无效：%s", part)
		}
		out = append(out, st)
	}
	return out, nil
}

func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, tongban.FieldError(name, "应为正整数 ID")
	}
	return id, nil
}

func queryRegion(r *http.Request, name string) (string, error) {
	s := strings.TrimSpace(r.URL.Query().Get(name))
	if s == "" {
		return "", nil
	}
	if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
		return "", tongban.FieldError(name, "行政区划代码应为12位数字")
	}
	return s, nil
}
