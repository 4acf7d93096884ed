package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/httpx"
)

// The parent of a 一件事 application (/cases/{number} with a parent's
// number) shows its applicant, and staff who may see it, the derived state
// and clock, each sub-case with its department and state, the ONE 补正
// notice for the whole bundle (supplemented once), and how the results are
// handed over (together, unless asked otherwise).

type bundleCasePage struct {
	Base
	V     *bundle.View
	Subs  []bundleSubView
	Mine  bool // the applicant: the supplement form is offered
	Staff bool // a console view: sub-case numbers link to the console
	// Applicant is the applicant's masked name, for staff (a walk-in's too).
	Applicant string
	Form      form
	Uploads   map[string]upload // files a failed supplement stored, kept
	// Handover is the clerk's 一次领取/一次寄递 panel (console only).
	Handover     *bundleHandoverPanel
	HandoverForm form
}

type bundleSubView struct {
	Name, OrgName, Number string
	Started               bool
	State                 string // the sub-case's own state, or why it waits or stopped
	Reason                string
	After                 []string
	DueDate               string
}

// CanSupplement offers the one supplement form.
func (p *bundleCasePage) CanSupplement() bool { return p.Mine && len(p.V.Notice) > 0 }

// bundleCaseOf reads the parent of the path's number, if the signed-in
// user may see it.
func (w *Web) bundleCaseOf(r *http.Request) (*tongban.BundleCase, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	bc, err := w.Store.BundleCaseByNumber(r.Context(), r.PathValue("number"))
	if err != nil {
		return nil, err
	}
	if err := w.Bundles.CanSee(r.Context(), u, bc); err != nil {
		return nil, err
	}
	return bc, nil
}

func (w *Web) bundleCasePage(rw http.ResponseWriter, r *http.Request, bc *tongban.BundleCase, staff bool) (*bundleCasePage, error) {
	v, err := w.Bundles.View(r.Context(), bc)
	if err != nil {
		return nil, err
	}
	u := httpx.User(r.Context())
	p := &bundleCasePage{Base: w.base(rw, r, "一件事办件"), V: v, Mine: u != nil && u.ID == bc.ApplicantID, Staff: staff,
		Form: newForm(), Uploads: map[string]upload{}, HandoverForm: newForm()}
	p.Title = bc.BundleName + " · " + bc.Number
	p.Applicant = tongban.MaskName(bc.ApplicantName)
	if staff {
		if p.Handover, err = w.bundleHandoverOf(r.Context(), u, v); err != nil {
			return nil, err
		}
	}
	names := map[string]string{}
	for _, sv := range v.Views {
		names[sv.Component] = sv.Name
	}
	for _, sv := range v.Views {
		s := bundleSubView{Name: sv.Name, OrgName: sv.OrgName, Number: sv.Number, State: sv.Status.Label(), Reason: sv.Reason}
		if sv.Case != nil && sv.Status == tongban.SubStarted {
			s.Started, s.State, s.DueDate = true, sv.Case.State.Label(), sv.Case.DueDate
		}
		for _, a := range sv.After {
			s.After = append(s.After, names[a])
		}
		p.Subs = append(p.Subs, s)
	}
	return p, nil
}

// bundleCaseStatus shows a parent to whoever may see it.
func (w *Web) bundleCaseStatus(rw http.ResponseWriter, r *http.Request, bc *tongban.BundleCase) error {
	p, err := w.bundleCasePage(rw, r, bc, false)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "bundle_case", p)
}

// bundleSupplement hands in, once, every line of the bundle's one 补正
// notice; each department that asked gets its paper. A refusal keeps the
// files stored.
func (w *Web) bundleSupplement(rw http.ResponseWriter, r *http.Request) error {
	bc, err := w.bundleCaseOf(r)
	if err != nil {
		return err
	}
	p, err := w.bundleCasePage(rw, r, bc, false)
	if err != nil {
		return err
	}
	if !p.CanSupplement() {
		return tongban.Errorf(tongban.EConflict, "办件 %s 没有待补正的材料", bc.Number)
	}
	var keys []string
	for _, l := range p.V.Notice {
		keys = append(keys, l.Key)
	}
	if p.Uploads, err = w.uploads(r, keys, p.Form.Errors); err != nil {
		return err
	}
	var ms []tongban.CaseMaterial
	for _, l := range p.V.Notice {
		up, ok := p.Uploads[l.Key]
		if !ok {
			if p.Form.Errors["file_"+l.Key] == "" {
				p.Form.Errors["file_"+l.Key] = p.Lang.tf("请上传「%s」", l.Name)
			}
			continue
		}
		ms = append(ms, tongban.CaseMaterial{Key: l.Key, Status: tongban.MaterialProvided, BlobHash: up.Hash})
	}
	if len(ms) < len(p.V.Notice) {
		p.Form.Error = p.Lang.T("补正未提交，请按提示修改。已上传的文件已保存，无需重新选择。")
		return w.render(rw, r, http.StatusBadRequest, "bundle_case", p)
	}
	if _, err := w.Bundles.Supplement(r.Context(), w.wf(r), bc.ID, ms); err != nil {
		if !userError(err) {
			return err
		}
		p.Form.Error = tongban.AsError(err).Message
		return w.render(rw, r, tongban.HTTPStatus(err), "bundle_case", p)
	}
	w.redirectFlash(rw, r, "/cases/"+bc.Number, "补正材料已提交，各部门将继续办理。")
	return nil
}
