package workflow

import (
	"cmp"
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notice"
)

// Progress lookups (办件查询) are anonymous: whoever holds the case number
// and the applicant's name — or the last six characters of their ID
// number or credit code — sees where the case is. Each address may look
// up ProgressLookups times per ProgressWindow, counted in the database so
// the limit holds across servers.
const (
	ProgressLookups = 30
	ProgressWindow  = 15 * time.Minute
)

// Progress is what an anonymous lookup shows: no personal data beyond what
// the asker proved they know, and staff as department and post, never by
// name.
type Progress struct {
	Number       string            `json:"number"`
	ItemName     string            `json:"item_name"`
	OrgName      string            `json:"org_name"` // the implementing department
	State        tongban.CaseState `json:"state"`
	StateLabel   string            `json:"state_label"`
	SubmittedAt  time.Time         `json:"submitted_at"`
	AcceptedAt   time.Time         `json:"accepted_at,omitzero"`
	DecidedAt    time.Time         `json:"decided_at,omitzero"`
	ClosedAt     time.Time         `json:"closed_at,omitzero"`
	PromisedDays int               `json:"promised_days"`
	Time         TimeStatus        `json:"time"`
	Visits       int               `json:"visits"` // 跑动次数 so far
	Stages       []Stage           `json:"stages"` // 申请 → 受理 → 审查 → 决定 → 办结
	Timeline     []ProgressStep    `json:"timeline"`
	// What the applicant owes: the materials of a pending 一次性告知 with
	// the deadline to supplement, and 容缺 materials with theirs.
	Corrections   []tongban.Deficiency `json:"corrections,omitempty"`
	CorrectionDue string               `json:"correction_due,omitempty"`
	Owed          []string             `json:"owed,omitempty"`
	OwedDue       string               `json:"owed_due,omitempty"`
	Collection    Collection           `json:"collection"`
}

// ProgressStep is one entry of the timeline.
type ProgressStep struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"` // 受理, 一次性告知补正…
	By     string    `json:"by"`     // 申请人, or department (window) and post
	State  string    `json:"state"`  // the state it led to
}

// Collection says how and where the result (or a denial decision) is
// collected.
type Collection struct {
	Method     tongban.DeliveryMethod `json:"method"`
	Label      string                 `json:"label"`
	Place      string                 `json:"place,omitempty"`   // hall and window
	Address    string                 `json:"address,omitempty"` // the hall's address
	Phone      string                 `json:"phone,omitempty"`
	TrackingNo string                 `json:"tracking_no,omitempty"`
}

// Progress looks a case up for whoever knows its number and the
// applicant's name (or the last six characters of their ID number or
// credit code). An unknown number and a wrong name answer alike, so the
// lookup cannot probe which numbers exist; lookups per address are limited.
func (s *Service) Progress(ctx context.Context, ip, number, who string) (*Progress, error) {
	now := s.Clock.Now()
	key := "progress:" + ip
	n, err := s.Store.Failures(ctx, key, now.Add(-ProgressWindow))
	if err != nil {
		return nil, err
	}
	if n >= ProgressLookups {
		return nil, tongban.Errorf(tongban.ETooManyTries, "查询过于频繁，请15分钟后再试")
	}
	if err := s.Store.RecordFailure(ctx, key, now); err != nil {
		return nil, err
	}
	notFound := tongban.Errorf(tongban.ENotFound, "未查询到办件：请核对办件编号和申请人姓名（或证件号码后6位）")
	number, who = strings.TrimSpace(number), strings.TrimSpace(who)
	if number == "" || who == "" || len(number) > 64 || utf8.RuneCountInString(who) > 100 {
		return nil, notFound
	}
	c, err := s.Store.CaseByNumber(ctx, number)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, notFound
	} else if err != nil {
		return nil, err
	}
	if c.State == tongban.CaseDraft {
		return nil, notFound
	}
	ok, err := s.knowsApplicant(ctx, c, who)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound
	}
	return s.progressOf(ctx, c, now)
}

// knowsApplicant reports whether who is the applicant's full name or the
// last six characters of their ID number or credit code.
func (s *Service) knowsApplicant(ctx context.Context, c *tongban.Case, who string) (bool, error) {
	if who == c.ApplicantName {
		return true, nil
	}
	if utf8.RuneCountInString(who) != 6 {
		return false, nil
	}
	u, err := s.Store.User(ctx, c.ApplicantID)
	if err != nil {
		return false, err
	}
	who = strings.ToUpper(who)
	for _, code := range []string{string(u.IDNumber), string(u.CreditCode)} {
		if len(code) >= 6 && code[len(code)-6:] == who {
			return true, nil
		}
	}
	return false, nil
}

func (s *Service) progressOf(ctx context.Context, c *tongban.Case, now time.Time) (*Progress, error) {
	evs := c.Events
	if evs == nil {
		var err error
		if evs, err = s.Store.CaseEvents(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	l, err := s.ListingVersion(ctx, c.ListingID, c.ListingVersion)
	if err != nil {
		return nil, err
	}
	sched, err := s.Calendar.Schedule(ctx)
	if err != nil {
		return nil, err
	}
	names := orgNamer{ctx: ctx, st: s.Store, cache: map[int64]*tongban.Org{}}
	p := &Progress{Number: c.Number, ItemName: c.ListingName, State: c.State, StateLabel: c.State.Label(),
		SubmittedAt: c.CreatedAt, AcceptedAt: c.AcceptedAt, DecidedAt: c.DecidedAt, PromisedDays: c.PromisedDays,
		Time: StatusAt(sched, c, now), Visits: c.Visits, OwedDue: c.OwedDue}
	if dept := names.org(c.OrgID); dept != nil {
		p.OrgName = dept.Name
	}
	proc := ProcessOf(l)
	for _, e := range evs {
		if e.Action == tongban.ActionDraft {
			continue
		}
		switch e.Action {
		case tongban.ActionSubmit:
			p.SubmittedAt = e.At
		case tongban.ActionDeliver, tongban.ActionClose:
			p.ClosedAt = e.At
		}
		p.Timeline = append(p.Timeline, ProgressStep{At: e.At, Action: e.Action.Label(), By: names.actor(e, proc),
			State: e.To.Label()})
	}
	if c.State == tongban.CaseAwaitingCorrection {
		p.Corrections = c.Corrections
		for i := len(evs) - 1; i >= 0; i-- {
			if evs[i].Action == tongban.ActionRequestCorrection {
				p.CorrectionDue = notice.CorrectionDue(sched, evs[i].At)
				break
			}
		}
	}
	for _, m := range c.Owed() {
		p.Owed = append(p.Owed, m.Name)
	}
	p.Collection = names.collection(c)
	p.Stages = Stages(c, evs)
	return p, nil
}

// orgNamer names orgs for a progress page, reading each once.
type orgNamer struct {
	ctx   context.Context
	st    tongban.Store
	cache map[int64]*tongban.Org
}

func (n orgNamer) org(id int64) *tongban.Org {
	if id == 0 {
		return nil
	}
	if o, ok := n.cache[id]; ok {
		return o
	}
	o, err := n.st.Org(n.ctx, id)
	if err != nil {
		o = nil
	}
	n.cache[id] = o
	return o
}

// place names a window with its hall, or a department or board.
func (n orgNamer) place(id int64) string {
	o := n.org(id)
	if o == nil {
		return ""
	}
	if hall := n.org(o.ParentID); hall != nil {
		return hall.Name + " " + o.Name
	}
	return o.Name
}

// actor shows who took an event as the public may see it: the applicant,
// or the org and the post (the step's post when the listing names one,
// else the role), never a person's name.
func (n orgNamer) actor(e *tongban.CaseEvent, proc Process) string {
	switch e.Role {
	case tongban.ActorApplicant:
		return "申请人"
	case tongban.ActorSystem, "":
		return "系统"
	}
	post := e.Role.Label()
	if e.Role == tongban.RoleApprover && e.Step >= 0 && e.Step < len(proc.Steps) && proc.Steps[e.Step].Post != "" {
		post = proc.Steps[e.Step].Post
	}
	if place := n.place(e.OrgID); place != "" {
		return place + " · " + post
	}
	return post
}

func (n orgNamer) collection(c *tongban.Case) Collection {
	m := cmp.Or(c.Delivery.Method, tongban.DeliveryPickup)
	col := Collection{Method: m, Label: m.Label()}
	if m == tongban.DeliveryExpress {
		col.TrackingNo = c.Delivery.TrackingNo
		return col
	}
	if w := n.org(c.Delivery.WindowID); w != nil {
		col.Place, col.Address, col.Phone = n.place(w.ID), w.Address, w.Phone
		if hall := n.org(w.ParentID); hall != nil {
			col.Address, col.Phone = cmp.Or(hall.Address, w.Address), cmp.Or(hall.Phone, w.Phone)
		}
	}
	return col
}
