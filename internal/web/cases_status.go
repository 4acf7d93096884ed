package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/workflow"
)

type myCasesPage struct {
	Base
	Rows []caseRow
}

// myCases lists the applicant's cases, newest first, with their clocks.
func (w *Web) myCases(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if u.Kind == tongban.UserStaff {
		http.Redirect(rw, r, "/console", http.StatusSeeOther)
		return nil
	}
	cs, err := w.Workflow.List(r.Context(), w.wf(r), tongban.CaseFilter{Newest: true, Limit: 200})
	if err != nil {
		return err
	}
	sched, err := w.Workflow.Calendar.Schedule(r.Context())
	if err != nil {
		return err
	}
	p := myCasesPage{Base: w.base(rw, r, "我的办件")}
	p.Rows = w.rows(p.Lang, cs, sched, w.Workflow.Clock.Now(), false)
	return w.render(rw, r, http.StatusOK, "cases_mine", p)
}

// caseStatusPage is the status of one case as its applicant follows it:
// where it is, what is asked of them, the result, the notices, the history.
type caseStatusPage struct {
	Base
	*caseDetail
	Mine    bool // the applicant's own case: their actions are offered
	Form    form
	Uploads map[string]upload // files stored by a failed supplement, kept
	// Stages is the bar 申请 → 受理 → 审查 → 决定 → 办结 with dates.
	Stages []workflow.Stage
	// Ratings are the applicant's own ratings of the case (好差评), with
	// their tickets; shown to the applicant only.
	Ratings []*rating.Rated
}

// ClosedAt is when the case was 办结 (delivered, closed, refused or
// withdrawn), zero while it is open.
func (p *caseStatusPage) ClosedAt() time.Time { return p.Stages[len(p.Stages)-1].At }

func (p *caseStatusPage) CanWithdraw() bool {
	return p.Mine && workflow.Allowed(tongban.ActionWithdraw, p.Case.State)
}

func (p *caseStatusPage) CanSupplement() bool {
	return p.Mine && p.Case.State == tongban.CaseAwaitingCorrection
}

func (p *caseStatusPage) CanProvideOwed() bool {
	return p.Mine && len(p.Case.Owed()) > 0 && workflow.Allowed(tongban.ActionProvideOwed, p.Case.State)
}

func (w *Web) statusPage(rw http.ResponseWriter, r *http.Request, c *tongban.Case) (*caseStatusPage, error) {
	u, _ := w.signedIn(r)
	p := &caseStatusPage{Base: w.base(rw, r, "办件进度"), Mine: u.ID == c.ApplicantID, Form: newForm(), Uploads: map[string]upload{}}
	p.Title = p.Lang.T("办件进度") + " " + c.Number
	d, err := w.detail(r, p.Lang, c, !p.Mine)
	if err != nil {
		return nil, err
	}
	p.caseDetail = d
	p.Stages = workflow.Stages(c, d.Events)
	if p.Mine && w.Ratings != nil {
		if p.Ratings, err = w.Ratings.Mine(r.Context(), w.request(r), c.Number); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// caseStatus shows a case to anyone who may see it; staff are pointed to
// the console page where they work it.
func (w *Web) caseStatus(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseWithEventsOf(r)
	if tongban.IsCode(err, tongban.ENotFound) && w.Bundles != nil {
		// A 一件事 application's number names its parent.
		if bc, berr := w.bundleCaseOf(r); berr == nil {
			return w.bundleCaseStatus(rw, r, bc)
		}
	}
	if err != nil {
		return err
	}
	p, err := w.statusPage(rw, r, c)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "cases_status", p)
}

// caseSupplement hands in what the 一次性告知 asked for. Files are stored
// first; if the workflow refuses (something still missing), the page comes
// back holding them.
func (w *Web) caseSupplement(rw http.ResponseWriter, r *http.Request) error {
	return w.applicantUpload(rw, r, "supplement")
}

// caseProvideOwed hands in 容缺 materials after acceptance.
func (w *Web) caseProvideOwed(rw http.ResponseWriter, r *http.Request) error {
	return w.applicantUpload(rw, r, "owed")
}

func (w *Web) applicantUpload(rw http.ResponseWriter, r *http.Request, what string) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	p, err := w.statusPage(rw, r, c)
	if err != nil {
		return err
	}
	var keys []string
	if what == "supplement" {
		for _, d := range c.Corrections {
			keys = append(keys, d.Key)
		}
	} else {
		for _, m := range c.Owed() {
			keys = append(keys, m.Key)
		}
	}
	if p.Uploads, err = w.uploads(r, keys, p.Form.Errors); err != nil {
		return err
	}
	var ms []tongban.CaseMaterial
	for _, k := range keys {
		if up, ok := p.Uploads[k]; ok {
			ms = append(ms, tongban.CaseMaterial{Key: k, BlobHash: up.Hash, Status: tongban.MaterialProvided})
		}
	}
	if len(p.Form.Errors) == 0 {
		req := w.wf(r)
		req.Version = c.Version
		if what == "supplement" {
			_, err = w.Workflow.Supplement(r.Context(), req, c.ID, ms)
		} else {
			_, err = w.Workflow.ProvideOwed(r.Context(), req, c.ID, ms, false)
		}
		if err == nil {
			flash := "补正材料已提交。"
			if what == "owed" {
				flash = "容缺材料已提交。"
			}
			w.redirectFlash(rw, r, "/cases/"+c.Number, flash)
			return nil
		}
		if !userError(err) {
			return err
		}
		p.Form.Error = tongban.AsError(err).Message
	} else {
		p.Form.Error = p.Lang.T("未提交，请按提示修改。已上传的文件已保存，无需重新选择。")
	}
	p.Form.Values["form"] = what
	return w.render(rw, r, http.StatusBadRequest, "cases_status", p)
}

// caseWithdraw takes an undecided application back.
func (w *Web) caseWithdraw(rw http.ResponseWriter, r *http.Request) error {
	c, err := w.caseOf(r)
	if err != nil {
		return err
	}
	req := w.wf(r)
	req.Version = c.Version
	if _, err := w.Workflow.Withdraw(r.Context(), req, c.ID, strings.TrimSpace(r.FormValue("reason"))); err != nil {
		if !userError(err) {
			return err
		}
		p, perr := w.statusPage(rw, r, c)
		if perr != nil {
			return perr
		}
		p.Form.Error, p.Form.Values["form"] = tongban.AsError(err).Message, "withdraw"
		return w.render(rw, r, tongban.HTTPStatus(err), "cases_status", p)
	}
	w.redirectFlash(rw, r, "/cases/"+c.Number, "申请已撤回。")
	return nil
}
