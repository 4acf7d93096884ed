package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/workflow"
)

// bundleView is a published 一件事 as applicants see it.
type bundleView struct {
	*tongban.Bundle
	// Departments are the departments its components run in, the lead first.
	Departments []string `json:"departments"`
	// Promise is the working days it promises: at most its longest path.
	Promise int `json:"promise_days"`
}

type bundleAnswersInput struct {
	Answers map[string]string `json:"answers,omitempty"`
}

// bundleApplicationInput is the body of POST /api/v1/bundles/{id}/cases:
// the body of POST /api/v1/cases (without the listing, which the bundle
// decides), the situation answers, and whether the results are to be
// handed over one by one.
type bundleApplicationInput struct {
	applicationInput
	Answers  map[string]string `json:"answers,omitempty"`
	Separate bool              `json:"separate,omitempty"`
}

func (a *API) bundleRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/bundles", Tag: "bundles", Summary: "一件事列表：已发布的一件事，含其事项、牵头部门和办理部门",
		Out: []bundleView{}, handle: a.listBundles})
	a.add(Route{Method: "GET", Path: "/api/v1/bundles/{id}", Tag: "bundles",
		Summary: "一件事详情：涵盖的事项及其前置关系、情形问题、一张表单的字段、承诺时限",
		Out:     bundleView{}, handle: a.getBundle})
	a.add(Route{Method: "POST", Path: "/api/v1/bundles/{id}/checklist", Tag: "bundles",
		Summary: "一次性告知：按情形答案列出需办理的事项和一份材料清单（按标准材料合并，同一材料只交一次）",
		In:      bundleAnswersInput{}, Out: bundle.Checklist{}, handle: a.bundleChecklist})
	a.add(Route{Method: "POST", Path: "/api/v1/bundles/{id}/cases", Tag: "bundles", Access: signedIn,
		Summary: "申请一件事：请求体同 POST /api/v1/cases（不含 listing_id），另加情形答案 answers；一张表单、每项材料一份，" +
			"在一个事务中生成主办件和各子办件，前置事项未办结的子办件等待。请求头 Idempotency-Key 使重试只产生一件：首次 201，重试 200",
		In: bundleApplicationInput{}, Out: caseView{}, Status: http.StatusCreated, handle: a.applyBundle,
		Responses: []Response{{Status: http.StatusOK, Description: "重试：同一 Idempotency-Key 已提交过，返回首次申请的主办件", Out: caseView{}}}})
	a.add(Route{Method: "GET", Path: "/api/v1/bundles/{id}/measures", Tag: "bundles", Access: staffOnly,
		Summary: "一件事效能（监察人员）：申请件数、承诺与实际工作日、跑动次数、合并后材料数与各事项分别申请所需材料数之和，" +
			"以及未办结的申请及其时限和卡在哪个部门",
		Out: bundle.Measures{}, handle: a.bundleMeasures})
	a.add(Route{Method: "POST", Path: "/api/v1/cases/{number}/bundle-supplement", Tag: "bundles", Access: signedIn,
		Summary: "一件事补正：按主办件的一份补正告知一次提交全部材料，所有提出该材料的子办件一并补正",
		In:      supplementInput{}, Out: caseView{}, handle: bundleAct(a, a.bundleSupplement)})
	a.add(Route{Method: "POST", Path: "/api/v1/cases/{number}/bundle-handover", Tag: "bundles", Access: staffOnly,
		Summary: "一件事统一送达：各子办件结果一次领取（一次跑动）或一个快递寄出；申请人选择分别领取时不适用",
		In:      deliverInput{}, Out: caseView{}, handle: bundleAct(a, a.bundleHandover)})
}

// bundleOf reads the published bundle of the path's id.
func (a *API) bundleOf(r *http.Request) (*tongban.Bundle, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return a.Bundles.Published(r.Context(), id)
}

func (a *API) bundleView(ctx context.Context, b *tongban.Bundle) bundleView {
	v := bundleView{Bundle: b, Departments: []string{b.LeadOrgName}, Promise: bundle.LongestPath(b, nil)}
	if b.PromisedDays > 0 {
		v.Promise = min(v.Promise, b.PromisedDays)
	}
	for _, c := range b.Components {
		if !containsString(v.Departments, c.OrgName) {
			v.Departments = append(v.Departments, c.OrgName)
		}
	}
	return v
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (a *API) listBundles(w http.ResponseWriter, r *http.Request) error {
	bs, err := a.Store.Bundles(r.Context(), tongban.BundleFilter{Status: tongban.BundlePublished})
	if err != nil {
		return err
	}
	out := make([]bundleView, len(bs))
	for i, b := range bs {
		out[i] = a.bundleView(r.Context(), b)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getBundle(w http.ResponseWriter, r *http.Request) error {
	b, err := a.bundleOf(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, a.bundleView(r.Context(), b))
}

func (a *API) bundleChecklist(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in bundleAnswersInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	_, cl, err := a.Bundles.Checklist(r.Context(), id, in.Answers)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cl)
}

func (a *API) applyBundle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in bundleApplicationInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.ListingID != 0 || in.ListingVersion != 0 {
		return tongban.FieldError("listing_id", "一件事由其事项决定实施清单，请勿填写 listing_id")
	}
	if err := in.checkBody(); err != nil {
		return err
	}
	req, err := a.caseRequest(r)
	if err != nil {
		return err
	}
	app := bundle.Application{BundleID: id, Answers: in.Answers, Form: in.Form,
		Materials: caseMaterials(in.Materials), Delivery: in.Delivery, Separate: in.Separate,
		IdempotencyKey: strings.TrimSpace(r.Header.Get("Idempotency-Key"))}
	if app.ApplicantID, app.Channel, err = a.applicantAndChannel(ctx, req, in.applicationInput); err != nil {
		return err
	}
	bc, replayed, err := a.Bundles.Apply(ctx, req, app)
	if err != nil {
		if e := tongban.AsError(err); e.Field == "applicant_id" {
			return renamed(err, "applicant_id_number")
		}
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/cases/"+bc.Number)
	return a.writeBundleCase(w, r, status, bc)
}

// bundleCaseView is the parent of a 一件事 application in a case answer.
type bundleCaseView struct {
	ID         int64                  `json:"id"`
	BundleID   int64                  `json:"bundle_id"`
	BundleName string                 `json:"bundle_name"`
	State      bundle.ParentState     `json:"state"`
	AcceptedAt string                 `json:"accepted_at,omitempty"`
	DueDate    string                 `json:"due_date,omitempty"`
	Paused     bool                   `json:"paused"`
	HeldBy     []string               `json:"held_by"`
	Separate   bool                   `json:"separate"`
	Materials  []tongban.CaseMaterial `json:"materials"`
	SubCases   []subCaseView          `json:"sub_cases"`
	// Notice is the one 补正 notice of the whole bundle, a line per
	// material however many departments ask for it.
	Notice []bundle.NoticeLine `json:"correction_notice"`
}

type subCaseView struct {
	Component   string                `json:"component"`
	Name        string                `json:"name"`
	OrgName     string                `json:"org_name"`
	Number      string                `json:"number"`
	Status      tongban.SubCaseStatus `json:"status"`
	StatusLabel string                `json:"status_label"`
	Reason      string                `json:"reason,omitempty"`
	After       []string              `json:"after"`
	State       tongban.CaseState     `json:"state,omitempty"` // the sub-case's own state, once started
	StateLabel  string                `json:"state_label,omitempty"`
}

// writeBundleCase answers with the parent: derived state and time, the
// sub-cases, the one notice. Its case fields stay empty (it applies no
// listing); bundle carries it.
func (a *API) writeBundleCase(w http.ResponseWriter, r *http.Request, status int, bc *tongban.BundleCase) error {
	v, err := a.Bundles.View(r.Context(), bc)
	if err != nil {
		return err
	}
	bv := &bundleCaseView{ID: bc.ID, BundleID: bc.BundleID, BundleName: bc.BundleName, State: v.State, DueDate: v.DueDate,
		Paused: v.Paused, HeldBy: v.HeldBy, Separate: bc.Separate, Materials: bc.Materials, Notice: v.Notice}
	if bv.HeldBy == nil {
		bv.HeldBy = []string{}
	}
	if bv.Notice == nil {
		bv.Notice = []bundle.NoticeLine{}
	}
	if !v.AcceptedAt.IsZero() {
		bv.AcceptedAt = v.AcceptedAt.UTC().Format("2006-01-02T15:04:05Z07:00")
	}
	tv := timeView{Started: !v.AcceptedAt.IsZero(), Paused: v.Paused, Due: v.DueDate, Level: "ok", LevelLabel: "正常"}
	var latest *tongban.Case
	for _, sv := range v.Views {
		s := subCaseView{Component: sv.Component, Name: sv.Name, OrgName: sv.OrgName, Number: sv.Number, Status: sv.Status,
			StatusLabel: sv.Status.Label(), Reason: sv.Reason, After: sv.After}
		if s.After == nil {
			s.After = []string{}
		}
		if sv.Case != nil {
			s.State, s.StateLabel = sv.Case.State, sv.Case.State.Label()
			if sv.Case.DueDate != "" && (latest == nil || sv.Case.DueDate > latest.DueDate) {
				latest = sv.Case
			}
		}
		bv.SubCases = append(bv.SubCases, s)
	}
	// The bundle is due when its last sub-case is: that one's clock.
	if latest != nil {
		ts, err := a.Workflow.TimeStatus(r.Context(), latest, a.Workflow.Clock.Now())
		if err != nil {
			return err
		}
		tv = timeOf(ts)
		tv.Paused = v.Paused
	}
	actions := []string{}
	if v.State == bundle.ParentCorrection {
		actions = append(actions, "bundle-supplement")
	}
	if v.State == bundle.ParentIssued && !bc.Separate {
		actions = append(actions, "bundle-handover")
	}
	// The parent in case shape: no listing of its own and no form (each
	// department reads its part in its sub-case).
	pc := &tongban.Case{ID: bc.ID, Number: bc.Number, ItemName: bc.BundleName, ListingName: bc.BundleName,
		OrgID: bc.LeadOrgID, RegionCode: bc.RegionCode, ApplicantID: bc.ApplicantID, ApplicantName: bc.ApplicantName,
		Channel: bc.Channel, State: parentCaseState[v.State], Form: json.RawMessage(`{}`), Materials: bc.Materials,
		AcceptedAt: v.AcceptedAt, DueDate: v.DueDate, Delivery: tongban.Delivery{Method: bc.Delivery},
		CreatedAt: bc.CreatedAt, UpdatedAt: bc.UpdatedAt, Version: bc.Version}
	out := caseView{Case: pc, StateLabel: v.StateLabel, ChannelLabel: bc.Channel.Label(), Time: tv, Actions: actions,
		Notices: []string{}, Events: []eventView{}, Bundle: bv}
	w.Header().Set("ETag", `"`+itoa(bc.Version)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	return writeJSON(w, status, out)
}

// parentCaseState is the case state a parent state reads as.
var parentCaseState = map[bundle.ParentState]tongban.CaseState{bundle.ParentCorrection: tongban.CaseAwaitingCorrection,
	bundle.ParentSubmitted: tongban.CaseSubmitted, bundle.ParentAccepted: tongban.CaseAccepted,
	bundle.ParentIssued: tongban.CaseResultIssued, bundle.ParentClosed: tongban.CaseClosed}

// bundleCaseOf reads the parent of the path's number, if the caller may
// see it.
func (a *API) bundleCaseOf(r *http.Request) (*tongban.BundleCase, error) {
	bc, err := a.Store.BundleCaseByNumber(r.Context(), r.PathValue("number"))
	if err != nil {
		return nil, err
	}
	if err := a.Bundles.CanSee(r.Context(), httpx.User(r.Context()), bc); err != nil {
		return nil, err
	}
	return bc, nil
}

// bundleAct runs an action on the parent of the path's number, which the
// caller must be able to see, and answers with the parent.
func bundleAct[T any](a *API, run func(ctx context.Context, req workflow.Request, id int64, in T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in T
		if err := decodeAction(w, r, &in); err != nil {
			return err
		}
		req, err := a.caseRequest(r)
		if err != nil {
			return err
		}
		bc, err := a.bundleCaseOf(r)
		if err != nil {
			return err
		}
		if err := run(r.Context(), req, bc.ID, in); err != nil {
			return err
		}
		if bc, err = a.Store.BundleCase(r.Context(), bc.ID); err != nil {
			return err
		}
		return a.writeBundleCase(w, r, http.StatusOK, bc)
	}
}

func (a *API) bundleSupplement(ctx context.Context, req workflow.Request, id int64, in supplementInput) error {
	ms, err := a.materialsFor(req, in.Materials)
	if err != nil {
		return err
	}
	_, err = a.Bundles.Supplement(ctx, req, id, ms)
	return err
}

func (a *API) bundleHandover(ctx context.Context, req workflow.Request, id int64, in deliverInput) error {
	_, err := a.Bundles.Handover(ctx, req, id, in.workflow())
	return err
}

// getBundleCase answers GET /api/v1/cases/{number} for a parent number.
func (a *API) getBundleCase(w http.ResponseWriter, r *http.Request) error {
	bc, err := a.bundleCaseOf(r)
	if err != nil {
		return err
	}
	return a.writeBundleCase(w, r, http.StatusOK, bc)
}

func (a *API) bundleMeasures(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := a.Bundles.Measure(r.Context(), httpx.User(r.Context()), a.Calendar, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}
