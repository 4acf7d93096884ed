package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/workflow"
)

// applyPage is the application form: online by the applicant (/apply/{id}),
// or at a window by a clerk for the applicant standing there (Counter set).
type applyPage struct {
	Base
	Listing    *tongban.Listing
	OrgName    string
	Action     string // where the form posts
	Situations []situationView
	Materials  []applyMaterial
	Tailored   bool // every situation answered: the list is this applicant's
	Form       form
	Key        string // idempotency key: a double-click or a retry files one case
	Closed     string // why this listing cannot be applied for here; no form then
	Counter    *counterApplicant
	// Spare offers what spares a paper: the applicant's material library.
	Spare *exchangeApply
	// OpenCase is the applicant's application for this listing still open:
	// applying again asks for confirmation.
	OpenCase *tongban.Case
	// Halls are where the result may be collected (就近取件): the halls
	// serving the listing's region, for a 全市通办 listing every hall of
	// the city; only those that designate a result window.
	Halls []*tongban.Org
}

type situationView struct {
	Key, Question string
	Answers       []answerOption
	Chosen        string
	When          string // the earlier answer this question follows from
	Error         string
}

type answerOption struct{ Key, Label string }

// applyMaterial is one line of the checklist with what the form holds for it.
type applyMaterial struct {
	tongban.Material
	Upload    upload
	Commit    bool // 告知承诺 instead of the proof
	Got       bool // counter: the clerk has the paper
	CanCommit bool
	MayOwe    bool // 容缺: may follow after acceptance
	Error     string
}

// Missing reports a required material the form does not supply.
func (m applyMaterial) Missing() bool {
	return m.Required == tongban.MaterialRequired && m.Upload.Hash == "" && !m.Commit && !m.Got && !m.MayOwe
}

// choices is what a filled-in form says about materials and situations.
type choices struct {
	answers map[string]string
	uploads map[string]upload
	commit  map[string]bool
	got     map[string]bool
}

func readChoices(r *http.Request, l *tongban.Listing, errs map[string]string, w *Web) (choices, error) {
	ch := choices{answers: map[string]string{}, commit: map[string]bool{}, got: map[string]bool{}}
	for _, s := range l.Situations {
		if a := strings.TrimSpace(r.FormValue("situation_" + s.Key)); a != "" {
			ch.answers[s.Key] = a
		}
	}
	keys := make([]string, 0, len(l.Materials))
	for _, m := range l.Materials {
		keys = append(keys, m.Key)
		ch.commit[m.Key] = r.FormValue("commit_"+m.Key) != ""
		ch.got[m.Key] = r.FormValue("got_"+m.Key) != ""
	}
	var err error
	ch.uploads, err = w.uploads(r, keys, errs)
	return ch, err
}

// fill lays out the situations and the checklist. Until every situation is
// answered the list is the listing's standing one (no 依情形 materials).
func (p *applyPage) fill(ch choices, errs map[string]string) error {
	l := p.Listing
	p.Situations = p.Situations[:0]
	for _, s := range l.Situations {
		v := situationView{Key: s.Key, Question: s.Question, Chosen: ch.answers[s.Key], Error: errs["situation_"+s.Key]}
		for _, a := range s.Answers {
			v.Answers = append(v.Answers, answerOption{a.Key, a.Label})
		}
		if d := s.DependsOn; d != nil {
			for _, e := range l.Situations {
				if e.Key != d.Situation {
					continue
				}
				for _, a := range e.Answers {
					if a.Key == d.Answer {
						v.When = e.Question + " " + a.Label
					}
				}
			}
		}
		p.Situations = append(p.Situations, v)
	}
	mats, _, err := catalog.Tailor(*l, ch.answers)
	p.Tailored = err == nil
	if err != nil {
		mats = nil
		for _, m := range l.Materials {
			if m.Required != tongban.MaterialConditional {
				mats = append(mats, m)
			}
		}
	}
	p.Materials = p.Materials[:0]
	for _, m := range mats {
		if _, ok := l.Material(m.Key); !ok {
			continue // an inline material of a situation: handed in at acceptance
		}
		am := applyMaterial{Material: m, Upload: ch.uploads[m.Key], Commit: ch.commit[m.Key], Got: ch.got[m.Key],
			CanCommit: l.Flags.Commitment && m.Type == tongban.MaterialCertificate,
			MayOwe:    l.Flags.TolerantAcceptance && m.Tolerant, Error: errs["file_"+m.Key]}
		am.Commit = am.Commit && am.CanCommit
		p.Materials = append(p.Materials, am)
	}
	p.Spare.load(p)
	return err
}

// caseMaterials is the checklist as the workflow takes it; 容缺 ones left
// out are for the clerk to mark owed.
func (p *applyPage) caseMaterials() []tongban.CaseMaterial {
	var out []tongban.CaseMaterial
	for _, m := range p.Materials {
		cm := tongban.CaseMaterial{Key: m.Key, Name: m.Name}
		switch {
		case m.Upload.Hash != "":
			cm.Status, cm.BlobHash = tongban.MaterialProvided, m.Upload.Hash
		case m.Commit:
			cm.Status = tongban.MaterialCommitment
		case m.Got:
			cm.Status = tongban.MaterialProvided
		default:
			if spared, ok := p.Spare.material(m.Key); ok {
				out = append(out, spared)
			}
			continue
		}
		out = append(out, cm)
	}
	return out
}

// showWorkflowError puts an error from Submit on the field it names: a
// material's index becomes that material's line.
func (p *applyPage) showWorkflowError(err error, sent []tongban.CaseMaterial) {
	e := tongban.AsError(err)
	if rest, ok := strings.CutPrefix(e.Field, "materials["); ok {
		if i, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)]); err == nil && i < len(sent) {
			for j := range p.Materials {
				if p.Materials[j].Key == sent[i].Key {
					p.Materials[j].Error = e.Message
					return
				}
			}
		}
	}
	switch e.Field {
	case "delivery", "phone", "contact", "address", "note":
		p.Form.Errors[e.Field] = e.Message
	default:
		p.Form.Error = e.Message
	}
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (w *Web) listingParam(r *http.Request) (*tongban.Listing, error) {
	id, err := strconv.ParseInt(r.PathValue("listing"), 10, 64)
	if err != nil {
		return nil, tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	// The version the form was shown with, so the case applies under the
	// checklist the applicant saw even if the listing changed meanwhile.
	if v, err := strconv.Atoi(r.FormValue("listing_version")); err == nil && v > 0 {
		if l, err := w.Store.ListingVersion(r.Context(), id, v); err == nil {
			return l, nil
		}
	}
	return w.Store.Listing(r.Context(), id)
}

func (w *Web) newApplyPage(rw http.ResponseWriter, r *http.Request, l *tongban.Listing) *applyPage {
	p := &applyPage{Base: w.base(rw, r, "在线申请"), Listing: l, Form: newForm(), Action: "/apply/" + strconv.FormatInt(l.ID, 10)}
	p.Spare = w.newExchangeApply(r, p.Lang)
	p.Title = l.Name + " · " + p.Lang.T("在线申请")
	if org, err := w.Store.Org(r.Context(), l.OrgID); err == nil {
		p.OrgName = org.Name
	}
	switch {
	case l.Status != tongban.ListingPublished:
		p.Closed = p.Lang.tf("该事项当前%s，暂不接受申请。", p.Lang.T(l.Status.Label()))
	case l.OnlineDepth == tongban.DepthOnSite:
		p.Closed = p.Lang.T("该事项须到窗口办理，不能网上申请。")
	}
	p.Halls = w.pickupHalls(r, l)
	return p
}

// pickupHalls lists the halls a result of l may be collected at.
func (w *Web) pickupHalls(r *http.Request, l *tongban.Listing) []*tongban.Org {
	halls, err := w.Store.Orgs(r.Context(), tongban.OrgFilter{Kind: tongban.OrgHall})
	if err != nil {
		return nil
	}
	var out []*tongban.Org
	for _, h := range halls {
		inCity := len(l.RegionCode) == 12 && strings.HasPrefix(h.RegionCode, l.RegionCode[:4])
		if h.ResultWindowID != 0 && (tongban.RegionContains(h.RegionCode, l.RegionCode) || l.Flags.CrossRegion && inCity) {
			out = append(out, h)
		}
	}
	return out
}

// pickupHall is the hall the form chose, 0 for the routing's choice.
func pickupHall(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.FormValue("pickup_hall"), 10, 64)
	return id
}

// applicant is the signed-in applicant; staff take applications at the
// counter instead.
func (w *Web) applicant(r *http.Request) (*tongban.User, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	if u.Kind == tongban.UserStaff {
		return nil, tongban.Errorf(tongban.EForbidden, "工作人员账号不能作为申请人提交申请；窗口收件请在工作台「受理办件」中办理")
	}
	return u, nil
}

func (w *Web) applyPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.applicant(r)
	if err != nil {
		return err
	}
	l, err := w.listingParam(r)
	if err != nil {
		return err
	}
	p := w.newApplyPage(rw, r, l)
	p.Key = newKey()
	p.Form.Values["contact"] = u.Name
	if u.Kind == tongban.UserEnterprise && u.LegalRepName != "" {
		p.Form.Values["contact"] = u.LegalRepName
	}
	p.Form.Values["phone"] = u.Phone.Reveal() // the applicant's own number, to confirm
	p.Form.Values["delivery"] = string(tongban.DeliveryPickup)
	if p.OpenCase, err = w.openApplication(r, l.ID, ""); err != nil {
		return err
	}
	ch := choices{answers: map[string]string{}}
	for _, s := range l.Situations { // answers carried from the guide page, if any
		if a := r.URL.Query().Get("situation_" + s.Key); a != "" {
			ch.answers[s.Key] = a
		}
	}
	p.fill(ch, p.Form.Errors)
	return w.render(rw, r, http.StatusOK, "cases_apply", p)
}

// applySubmit stores the files first, so whatever else is wrong with the
// form, what was uploaded is kept and the form comes back holding it.
func (w *Web) applySubmit(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.applicant(r); err != nil {
		return err
	}
	l, err := w.listingParam(r)
	if err != nil {
		return err
	}
	p := w.newApplyPage(rw, r, l)
	if p.Closed != "" {
		return tongban.Errorf(tongban.EConflict, "%s", p.Closed)
	}
	p.Key = strings.TrimSpace(r.FormValue("idempotency_key"))
	if p.Key == "" {
		p.Key = newKey()
	}
	for _, k := range []string{"contact", "phone", "note", "delivery", "address", "pledge", "pickup_hall"} {
		p.Form.Values[k] = strings.TrimSpace(r.FormValue(k))
	}
	ch, err := readChoices(r, l, p.Form.Errors, w)
	if err != nil {
		return err
	}
	tailorErr := p.fill(ch, p.Form.Errors)
	if r.FormValue("tailor") != "" { // "按情形更新材料清单": show the list, judge nothing yet
		return w.render(rw, r, http.StatusOK, "cases_apply", p)
	}

	in, ok := p.checkOnline(tailorErr)
	if p.OpenCase, err = w.openApplication(r, l.ID, p.Key); err != nil {
		return err
	}
	if p.OpenCase != nil && r.FormValue("apply_again") == "" {
		p.Form.Errors["apply_again"], ok = p.Lang.tf("您已有一件「%s」正在办理（办件编号 %s）。如确需再次申请，请勾选确认。", l.Name, p.OpenCase.Number), false
	}
	if !ok {
		p.Form.Error = p.Lang.T("申请未提交，请按提示修改。已上传的文件已保存，无需重新选择。")
		return w.render(rw, r, http.StatusBadRequest, "cases_apply", p)
	}
	in.ListingID, in.ListingVersion, in.Channel, in.IdempotencyKey = l.ID, l.Version, tongban.ChannelOnline, p.Key
	if in.Delivery == tongban.DeliveryPickup {
		in.PickupHallID = pickupHall(r)
	}
	c, err := w.Workflow.Submit(r.Context(), w.wf(r), in)
	if err != nil {
		if !userError(err) {
			return err
		}
		p.showWorkflowError(err, in.Materials)
		return w.render(rw, r, tongban.HTTPStatus(err), "cases_apply", p)
	}
	w.redirectFlash(rw, r, "/cases/"+c.Number, "申请已提交，请留意办理进度。")
	return nil
}

// checkOnline checks the online form at the edge: every question answered,
// every required file there (or fetched, promised or allowed to follow),
// a contact who can be reached, an address to mail to.
func (p *applyPage) checkOnline(tailorErr error) (workflow.Application, bool) {
	ok := true
	fail := func(field, msg string) { p.Form.Errors[field] = p.Lang.T(msg); ok = false }
	if tailorErr != nil {
		e := tongban.AsError(tailorErr)
		key := strings.TrimPrefix(e.Field, "answers.")
		for i := range p.Situations {
			if p.Situations[i].Key == key {
				p.Situations[i].Error = e.Message
			}
		}
		ok = false
	}
	anyCommit := false
	for i, m := range p.Materials {
		anyCommit = anyCommit || m.Commit
		if m.Error != "" {
			ok = false
		} else if m.Missing() && !p.Spare.Covers(m.Key) {
			p.Materials[i].Error = p.Lang.tf("请上传「%s」", m.Name)
			ok = false
		}
	}
	v := p.Form.Values
	if v["contact"] == "" {
		fail("contact", "请填写联系人")
	} else if utf8.RuneCountInString(v["contact"]) > 50 {
		fail("contact", "联系人不能超过50个字")
	}
	phone, err := tongban.ParsePhone(v["phone"])
	if err != nil {
		p.Form.Errors["phone"] = tongban.AsError(err).Message
		ok = false
	}
	delivery := tongban.DeliveryMethod(v["delivery"])
	switch {
	case delivery == tongban.DeliveryExpress && !p.Listing.Flags.Express:
		fail("delivery", "该事项不支持快递送达，请选择窗口领取")
	case delivery == tongban.DeliveryExpress && v["address"] == "":
		fail("address", "快递送达请填写邮寄地址")
	case delivery != tongban.DeliveryExpress:
		delivery, v["address"] = tongban.DeliveryPickup, ""
	}
	if utf8.RuneCountInString(v["note"]) > 500 || utf8.RuneCountInString(v["address"]) > 200 {
		fail("note", "申请说明不超过500字，邮寄地址不超过200字")
	}
	if anyCommit && v["pledge"] == "" {
		fail("pledge", "选择告知承诺的，须勾选承诺声明")
	}
	if !ok {
		return workflow.Application{}, false
	}
	form, _ := json.Marshal(applicationForm{Applicant: p.Spare.applicantFields(), Contact: v["contact"], Phone: phone.Reveal(), Address: v["address"],
		Note: v["note"], Situations: p.answers()})
	return workflow.Application{Form: form, Materials: p.caseMaterials(), Delivery: delivery}, true
}

func (p *applyPage) answers() map[string]string {
	out := map[string]string{}
	for _, s := range p.Situations {
		if s.Chosen != "" {
			out[s.Key] = s.Chosen
		}
	}
	return out
}

// openApplication is the signed-in applicant's application for the
// listing that is still open (not decided, refused or withdrawn), if any;
// the one this very form filed (its idempotency key: a double click) is
// not another application.
func (w *Web) openApplication(r *http.Request, listingID int64, key string) (*tongban.Case, error) {
	cs, err := w.Workflow.List(r.Context(), w.wf(r), tongban.CaseFilter{Newest: true, Limit: 200,
		States: []tongban.CaseState{tongban.CaseSubmitted, tongban.CaseAwaitingCorrection, tongban.CaseAccepted, tongban.CaseInReview}})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ListingID == listingID && (key == "" || c.IdempotencyKey != key) {
			return c, nil
		}
	}
	return nil, nil
}
