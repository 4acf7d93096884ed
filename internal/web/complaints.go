package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/rating"
)

// 12345 and 办不成事: a citizen files a complaint on /complaints and follows
// it; the counter and the hotline take them, dispatch, call back and
// record the 评价 on /console/complaints; the department handles and
// replies there.

type complaintsPage struct {
	Base
	Console bool // the staff console, else the citizen's page
	All     bool
	Rows    []complaintRow
	Form    form
	Kinds   []tongban.ComplaintKind
	Regions []*tongban.Region
	// CanTake: the counter or the hotline takes complaints here.
	CanTake  bool
	Measures *rating.ComplaintMeasures
	Names    map[int64]string
}

// formFields are the filing form's inputs with an error place
// (complaints.html): the console's asks who is complaining, the citizen's
// where. Another field's error (a region posted to the console, which
// takes the clerk's own) goes above the form.
func (p *complaintsPage) formFields() []string {
	if p.Console {
		return []string{"kind", "name", "phone", "case_number", "content"}
	}
	return []string{"kind", "region_code", "case_number", "content"}
}

type complaintRow struct {
	*tongban.Complaint
	OrgName string
	Overdue bool
}

type complaintPage struct {
	Base
	Console bool
	View    *rating.ComplaintView
	OrgName string
	Form    form
	// The steps the viewer may take now.
	Depts                            []*tongban.Org
	CanDispatch, CanHandle, CanReply bool
	CanVisit, CanRate                bool
	// CanReturn: the department sends a misdispatched complaint back (退单).
	CanReturn bool
	Levels    []tongban.RatingLevel
}

func (w *Web) registerComplaints(mux *http.ServeMux) {
	mux.HandleFunc("GET /complaints", w.handle(w.complaints))
	mux.HandleFunc("POST /complaints", w.handle(w.complaintFile))
	mux.HandleFunc("GET /complaints/{number}", w.handle(w.complaintShow))
	mux.HandleFunc("POST /complaints/{number}", w.handle(w.complaintStep))
	mux.HandleFunc("GET /console/complaints", w.handle(w.complaints))
	mux.HandleFunc("POST /console/complaints", w.handle(w.complaintFile))
	mux.HandleFunc("GET /console/complaints/{number}", w.handle(w.complaintShow))
	mux.HandleFunc("POST /console/complaints/{number}", w.handle(w.complaintStep))
}

func consolePath(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/console/") }

func (w *Web) complaintsPage(rw http.ResponseWriter, r *http.Request) (*complaintsPage, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p := &complaintsPage{Base: w.base(rw, r, "投诉与办不成事反映"), Console: consolePath(r), All: r.URL.Query().Get("all") == "true",
		Form: newForm(), Kinds: []tongban.ComplaintKind{tongban.ComplaintGeneral, tongban.ComplaintCannotDo}}
	if p.Console {
		if err := w.Identity.Require(u, identity.PermConsole); err != nil {
			return nil, err
		}
		p.CanTake = w.Identity.Can(u, identity.PermComplaintIntake)
	} else if u.Kind == tongban.UserStaff {
		return nil, tongban.Errorf(tongban.EForbidden, "工作人员请在工作台处理投诉工单")
	} else if p.Regions, err = w.Store.Regions(ctx, ""); err != nil {
		return nil, err
	}
	cs, err := w.Ratings.Complaints(ctx, w.request(r), p.All)
	if err != nil && !(p.CanTake && tongban.IsCode(err, tongban.EForbidden)) {
		return nil, err
	}
	names, today := w.orgNames(), calendar.DateOf(w.Ratings.Clock.Now()).String()
	for _, c := range cs {
		row := complaintRow{Complaint: c, Overdue: c.State.Unreplied() && ((c.OrgID == 0 && c.DispatchDue < today) || (c.OrgID != 0 && c.ReplyDue < today))}
		if c.OrgID != 0 {
			row.OrgName = names.name(ctx, c.OrgID)
		}
		p.Rows = append(p.Rows, row)
	}
	if p.Console && (w.Identity.Can(u, identity.PermSupervise) || w.Identity.Can(u, identity.PermComplaintDispatch)) {
		now := w.Ratings.Clock.Now()
		from := calendar.DateOf(now).AddDays(1 - calendar.DateOf(now).Day()).Time()
		if p.Measures, err = w.Ratings.MeasureComplaints(ctx, w.request(r), "", from, now.Add(time.Second)); err != nil {
			return nil, err
		}
		p.Names = map[int64]string{0: p.Lang.T("未派单")}
		for _, m := range p.Measures.Depts {
			if m.OrgID != 0 {
				p.Names[m.OrgID] = names.name(ctx, m.OrgID)
			}
		}
	}
	return p, nil
}

// Rate formats a measure's rate as a percentage, or 暂无 when nothing was
// counted.
func (p *complaintsPage) Rate(v *float64) string {
	if v == nil {
		return p.Lang.T("暂无")
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

func (w *Web) complaints(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.complaintsPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "complaints", p)
}

func (w *Web) complaintFile(rw http.ResponseWriter, r *http.Request) error {
	in := rating.ComplaintInput{Kind: tongban.ComplaintKind(r.PostFormValue("kind")), Content: r.PostFormValue("content"),
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), CaseNumber: r.PostFormValue("case_number"),
		RegionCode: r.PostFormValue("region_code")}
	if u, err := w.signedIn(r); err == nil && consolePath(r) != (u.Kind == tongban.UserStaff) {
		return tongban.Errorf(tongban.EForbidden, "工作人员请在工作台受理投诉")
	}
	v, err := w.Ratings.FileComplaint(r.Context(), w.request(r), in)
	if err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.complaintsPage(rw, r)
		if perr != nil {
			return perr
		}
		p.Form.failOn(err, p.formFields()...)
		for _, k := range []string{"kind", "content", "name", "case_number", "region_code"} {
			p.Form.Values[k] = r.PostFormValue(k)
		}
		return w.render(rw, r, tongban.HTTPStatus(err), "complaints", p)
	}
	base := "/complaints/"
	if consolePath(r) {
		base = "/console/complaints/"
	}
	return w.done(rw, r, base+v.Complaint.Number, "已受理，工单号 "+v.Complaint.Number)
}

func (w *Web) complaintPage(rw http.ResponseWriter, r *http.Request) (*complaintPage, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	v, err := w.Ratings.Complaint(ctx, w.request(r), r.PathValue("number"))
	if err != nil {
		return nil, err
	}
	c := v.Complaint
	p := &complaintPage{Base: w.base(rw, r, "投诉工单"), Console: consolePath(r), View: v, Form: newForm(),
		Levels: tongban.ComplaintLevels}
	if c.OrgID != 0 {
		p.OrgName = w.orgNames().name(ctx, c.OrgID)
	}
	mine := u.ID == c.ComplainantID
	visit := w.Identity.Can(u, identity.PermComplaintVisit)
	handle := c.OrgID != 0 && w.Identity.RequireOrg(ctx, u, identity.PermComplaintHandle, c.OrgID) == nil
	if p.Console {
		p.CanDispatch = w.Identity.Can(u, identity.PermComplaintDispatch) && (c.State == tongban.ComplaintReceived || c.State == tongban.ComplaintAssigned)
		p.CanHandle = handle && c.State == tongban.ComplaintAssigned
		p.CanReply = handle && (c.State == tongban.ComplaintAssigned || c.State == tongban.ComplaintHandling)
		p.CanReturn = p.CanReply
		p.CanVisit = visit && c.State == tongban.ComplaintReplied
		p.CanRate = visit && c.State == tongban.ComplaintVisited
		if p.CanDispatch {
			if p.Depts, err = w.manageableOrgs(ctx, u, identity.PermComplaintDispatch); err != nil {
				return nil, err
			}
		}
	} else {
		p.CanRate = mine && (c.State == tongban.ComplaintReplied || c.State == tongban.ComplaintVisited)
	}
	return p, nil
}

// Step names a complaint step in the page's language.
func (p *complaintPage) Step(a tongban.ComplaintAction) string { return p.Lang.T(a.Label()) }

func (w *Web) complaintShow(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.complaintPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "complaint", p)
}

func (w *Web) complaintStep(rw http.ResponseWriter, r *http.Request) error {
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	st := rating.Step{Action: tongban.ComplaintAction(r.PostFormValue("action")), OrgID: formInt(r, "org_id"),
		Text: r.PostFormValue("text"), Level: tongban.RatingLevel(level), Version: formVersion(r)}
	v, err := w.Ratings.Advance(r.Context(), w.request(r), r.PathValue("number"), st)
	if err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.complaintPage(rw, r)
		if perr != nil {
			return perr
		}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "complaint", p)
	}
	return w.done(rw, r, r.URL.Path, "投诉工单 "+v.Complaint.Number+" 已"+st.Action.Label())
}

// Prefix is where the page's links lead: the console's pages or the citizen's.
func (p *complaintsPage) Prefix() string { return prefix(p.Console) }
func (p *complaintPage) Prefix() string  { return prefix(p.Console) }

func prefix(console bool) string {
	if console {
		return "/console"
	}
	return ""
}
