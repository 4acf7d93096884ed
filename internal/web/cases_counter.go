package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/workflow"
)

// seat is a window a clerk works at and the hall it belongs to, whose
// region is where the clerk takes applications (前台综合受理).
type seat struct {
	Window *tongban.Org
	Hall   *tongban.Org // nil for a window outside any hall
	Region string
}

func (s seat) Name() string {
	if s.Hall != nil {
		return s.Hall.Name + " " + s.Window.Name
	}
	return s.Window.Name
}

// seats are the windows at which u holds perm, one per hall.
func (w *Web) seats(ctx context.Context, u *tongban.User, perm identity.Permission) ([]seat, error) {
	var out []seat
	seen := map[int64]bool{}
	for _, g := range u.Roles {
		if !slices.Contains(identity.PermissionsOf(g.Role), perm) {
			continue
		}
		win, err := w.Store.Org(ctx, g.OrgID)
		if err != nil {
			return nil, err
		}
		if win.Kind != tongban.OrgWindow {
			continue
		}
		s := seat{Window: win, Region: win.RegionCode}
		if win.ParentID != 0 {
			if hall, err := w.Store.Org(ctx, win.ParentID); err == nil && hall.Kind == tongban.OrgHall {
				s.Hall, s.Region = hall, hall.RegionCode
			}
		}
		key := win.ID
		if s.Hall != nil {
			key = s.Hall.ID
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, tongban.Errorf(tongban.EForbidden, "您不在政务服务大厅的窗口岗位上")
	}
	return out, nil
}

// counterPage is the comprehensive window's desk: the inbox of submitted
// applications, identifying the applicant standing there, and choosing the
// item to take an application for.
type counterPage struct {
	Base
	Seats      []seat
	Inbox      []caseRow
	Correcting []caseRow
	IDQuery    string
	WalkIn     *walkInForm // offered when the ID has no account
	ResetLink  *issuedLink // a one-time password link just issued
	Applicant  *applicantView
	Q          string
	Listings   []listingRow
	// Bundles are the 一件事 the clerk may take for the applicant: those
	// the query is about, or all of them.
	Bundles []search.BundleHit
	Form    form
}

type applicantView struct {
	UserID                int64
	Kind, Name, ID, Phone string
	Full                  bool
}

type listingRow struct {
	ID      int64
	Name    string
	OrgName string
	Days    int
}

// counterApplicant is who a counter application is for, as the form shows it.
type counterApplicant struct {
	UserID   int64
	Name, ID string
}

func applicantOf(l Lang, u *tongban.User, full bool) *applicantView {
	v := &applicantView{UserID: u.ID, Kind: l.T("自然人"), Full: full, Name: tongban.MaskName(u.Name), ID: u.IDNumber.Masked(),
		Phone: u.Phone.Masked()}
	if u.Kind == tongban.UserEnterprise {
		v.Kind, v.Name, v.ID = l.T("法人"), u.Name, string(u.CreditCode) // an enterprise's name and code are public
	}
	if full {
		v.Name, v.Phone = u.Name, u.Phone.Reveal()
		if u.Kind == tongban.UserCitizen {
			v.ID = u.IDNumber.Reveal()
		}
	}
	return v
}

func (w *Web) counterBase(rw http.ResponseWriter, r *http.Request) (*counterPage, error) {
	u, err := w.staff(r, identity.PermCaseAccept)
	if err != nil {
		return nil, err
	}
	seats, err := w.seats(r.Context(), u, identity.PermCaseAccept)
	if err != nil {
		return nil, err
	}
	p := &counterPage{Base: w.base(rw, r, "受理办件"), Seats: seats, Form: newForm()}
	sched, err := w.Workflow.Calendar.Schedule(r.Context())
	if err != nil {
		return nil, err
	}
	now := w.Workflow.Clock.Now()
	for _, s := range seats {
		for _, st := range []tongban.CaseState{tongban.CaseSubmitted, tongban.CaseAwaitingCorrection} {
			cs, err := w.Workflow.List(r.Context(), w.wf(r), tongban.CaseFilter{Within: s.Region, States: []tongban.CaseState{st}, Limit: 200})
			if err != nil {
				return nil, err
			}
			slices.SortStableFunc(cs, func(a, b *tongban.Case) int { return a.UpdatedAt.Compare(b.UpdatedAt) }) // first come, first served
			rows := w.rows(p.Lang, cs, sched, now, true)
			if st == tongban.CaseSubmitted {
				p.Inbox = append(p.Inbox, rows...)
			} else {
				p.Correcting = append(p.Correcting, rows...)
			}
		}
	}
	return p, nil
}

// counter shows the desk; ?id_number= identifies an applicant, ?applicant=
// keeps one identified, ?q= filters the published listings of the hall.
func (w *Web) counter(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterBase(rw, r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p.IDQuery = strings.TrimSpace(q.Get("id_number"))
	p.Q = strings.TrimSpace(q.Get("q"))
	var uid int64
	switch {
	case p.IDQuery != "":
		u, err := w.findApplicant(r.Context(), r, p.IDQuery)
		if err != nil {
			if !userError(err) && !tongban.IsCode(err, tongban.ENotFound) {
				return err
			}
			p.Form.Errors["id_number"] = tongban.AsError(err).Message
			if tongban.IsCode(err, tongban.ENotFound) {
				p.Form.Errors["id_number"], p.WalkIn = noAccount, walkInOf(p.IDQuery)
			}
		} else {
			uid = u.ID
		}
	case q.Get("applicant") != "":
		uid, _ = strconv.ParseInt(q.Get("applicant"), 10, 64)
	}
	if uid != 0 {
		u, err := w.Identity.ReadUser(r.Context(), uid, false, identity.Purpose{Counter: true}, w.request(r))
		if err != nil {
			return err
		}
		p.Applicant = applicantOf(p.Lang, u, false)
	}
	if err := w.counterListings(r.Context(), p); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "cases_counter", p)
}

// findApplicant finds an account by 身份证号 or 统一社会信用代码, the
// purpose that lets the clerk read that applicant (identity.CounterLookup).
func (w *Web) findApplicant(ctx context.Context, r *http.Request, s string) (*tongban.User, error) {
	return w.Identity.CounterLookup(ctx, s, w.request(r))
}

// noAccount is what the desk says of an ID with no account: the clerk
// records the applicant there and then.
const noAccount = "该申请人尚无账号：请按证件登记申请人信息后直接受理"

func (w *Web) counterListings(ctx context.Context, p *counterPage) error {
	if p.Applicant != nil && w.Search != nil {
		if p.Q == "" {
			p.Bundles = w.Search.AllBundles()
		} else {
			p.Bundles = w.Search.SearchBundles(p.Q)
		}
	}
	if p.Applicant == nil || p.Q == "" {
		return nil
	}
	names := w.orgNames()
	for _, s := range p.Seats {
		ls, err := w.Store.Listings(ctx, tongban.ListingFilter{Region: s.Region, Status: tongban.ListingPublished, Q: p.Q, Limit: 30})
		if err != nil {
			return err
		}
		for _, l := range ls {
			p.Listings = append(p.Listings, listingRow{ID: l.ID, Name: l.Name, OrgName: names.name(ctx, l.OrgID), Days: l.PromisedDays})
		}
	}
	return nil
}

// counterReveal shows the applicant's full ID number and phone, when the
// clerk needs them; the read is audited.
func (w *Web) counterReveal(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterBase(rw, r)
	if err != nil {
		return err
	}
	uid, _ := strconv.ParseInt(r.FormValue("applicant"), 10, 64)
	u, err := w.Identity.ReadUser(r.Context(), uid, true, identity.Purpose{Counter: true, Reason: r.FormValue("reason")}, w.request(r))
	if err != nil {
		return err
	}
	p.Applicant = applicantOf(p.Lang, u, true)
	return w.render(rw, r, http.StatusOK, "cases_counter", p)
}

// counterApplicantOf reads the applicant a counter form is for (masked).
func (w *Web) counterApplicantOf(r *http.Request, raw string) (*counterApplicant, error) {
	uid, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, tongban.FieldError("applicant", "请先核验申请人身份")
	}
	u, err := w.Identity.ReadUser(r.Context(), uid, false, identity.Purpose{Counter: true}, w.request(r))
	if err != nil {
		return nil, err
	}
	v := applicantOf(langOf(r), u, false)
	return &counterApplicant{UserID: u.ID, Name: v.Name, ID: v.ID}, nil
}

func (w *Web) counterApplyBase(rw http.ResponseWriter, r *http.Request, applicant string) (*applyPage, error) {
	if _, err := w.staff(r, identity.PermCaseAccept); err != nil {
		return nil, err
	}
	l, err := w.listingParam(r)
	if err != nil {
		return nil, err
	}
	ca, err := w.counterApplicantOf(r, applicant)
	if err != nil {
		return nil, err
	}
	p := w.newApplyPage(rw, r, l)
	p.Title = l.Name + " · " + p.Lang.T("窗口收件")
	p.Counter, p.Action = ca, "/console/counter/apply/"+strconv.FormatInt(l.ID, 10)
	if l.Status == tongban.ListingPublished {
		p.Closed = "" // at the window, on-site listings are exactly what is taken
	}
	return p, nil
}

func (w *Web) counterApplyPage(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterApplyBase(rw, r, r.URL.Query().Get("applicant"))
	if err != nil {
		return err
	}
	p.Key = newKey()
	p.Form.Values["delivery"] = string(tongban.DeliveryPickup)
	p.fill(choices{}, p.Form.Errors)
	return w.render(rw, r, http.StatusOK, "cases_apply", p)
}

// counterApplySubmit files the application taken at the window (the
// applicant's visit). Completeness is judged next, on acceptance, where
// missing materials become 容缺 or a 一次性告知.
func (w *Web) counterApplySubmit(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.counterApplyBase(rw, r, r.FormValue("applicant"))
	if err != nil {
		return err
	}
	if p.Closed != "" {
		return tongban.Errorf(tongban.EConflict, "%s", p.Closed)
	}
	p.Key = strings.TrimSpace(r.FormValue("idempotency_key"))
	if p.Key == "" {
		p.Key = newKey()
	}
	for _, k := range []string{"contact", "phone", "note", "delivery", "address", "pickup_hall"} {
		p.Form.Values[k] = strings.TrimSpace(r.FormValue(k))
	}
	ch, err := readChoices(r, p.Listing, p.Form.Errors, w)
	if err != nil {
		return err
	}
	p.fill(ch, p.Form.Errors)
	if r.FormValue("tailor") != "" {
		return w.render(rw, r, http.StatusOK, "cases_apply", p)
	}
	in, ok := p.checkCounter()
	if !ok {
		p.Form.Error = p.Lang.T("未登记，请按提示修改。已上传的文件已保存，无需重新选择。")
		return w.render(rw, r, http.StatusBadRequest, "cases_apply", p)
	}
	in.ListingID, in.ListingVersion, in.Channel, in.IdempotencyKey = p.Listing.ID, p.Listing.Version, tongban.ChannelCounter, p.Key
	in.ApplicantID = p.Counter.UserID
	if in.Delivery == tongban.DeliveryPickup {
		in.PickupHallID = pickupHall(r)
	}
	c, err := w.Workflow.Submit(r.Context(), w.wf(r), in)
	if err != nil {
		// A refusal of this window (another district's listing that is not
		// 全市通办) is shown on the form, so the clerk reads why and where
		// the applicant can go, with what was typed kept.
		if !userError(err) && !tongban.IsCode(err, tongban.EForbidden) {
			return err
		}
		p.showWorkflowError(err, in.Materials)
		return w.render(rw, r, tongban.HTTPStatus(err), "cases_apply", p)
	}
	w.redirectFlash(rw, r, "/console/cases/"+c.Number, "已收件登记，请核对材料后受理。")
	return nil
}

// checkCounter checks what the clerk typed; the phone is optional here
// (the applicant is present), but must be a number when given.
func (p *applyPage) checkCounter() (workflow.Application, bool) {
	ok := true
	for _, m := range p.Materials {
		ok = ok && m.Error == ""
	}
	v := p.Form.Values
	var phone tongban.Phone
	if v["phone"] != "" {
		var err error
		if phone, err = tongban.ParsePhone(v["phone"]); err != nil {
			p.Form.Errors["phone"], ok = tongban.AsError(err).Message, false
		}
	}
	delivery := tongban.DeliveryMethod(v["delivery"])
	switch {
	case delivery == tongban.DeliveryExpress && !p.Listing.Flags.Express:
		p.Form.Errors["delivery"], ok = p.Lang.T("该事项不支持快递送达，请选择窗口领取"), false
	case delivery == tongban.DeliveryExpress && v["address"] == "":
		p.Form.Errors["address"], ok = p.Lang.T("快递送达请填写邮寄地址"), false
	case delivery != tongban.DeliveryExpress:
		delivery, v["address"] = tongban.DeliveryPickup, ""
	}
	if utf8.RuneCountInString(v["contact"]) > 50 || utf8.RuneCountInString(v["note"]) > 500 || utf8.RuneCountInString(v["address"]) > 200 {
		p.Form.Errors["note"], ok = p.Lang.T("联系人不超过50字，申请说明不超过500字，邮寄地址不超过200字"), false
	}
	if !ok {
		return workflow.Application{}, false
	}
	form, _ := json.Marshal(applicationForm{Applicant: p.Spare.applicantFields(), Contact: v["contact"], Phone: phone.Reveal(), Address: v["address"],
		Note: v["note"], Situations: p.answers()})
	return workflow.Application{Form: form, Materials: p.caseMaterials(), Delivery: delivery}, true
}
