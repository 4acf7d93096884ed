package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
)

// Applying for a 一件事 online (/bundles/{id}/apply): the situation answers,
// the ONE merged form (each field asked once, feeding every component that
// needs it), one upload per line of the merged material list, posted to the
// same bundle.Service.Apply the API uses, idempotent by a key the form
// carries. Files are stored first, so a refused form comes back holding
// them and what was typed.

type bundleApplyPage struct {
	Base
	B         *tongban.Bundle
	Action    string
	Questions []bundleQuestion
	Checklist *bundle.Checklist // nil until every question is answered
	Fields    []bundleFieldView
	Materials []bundleMaterialView
	Form      form
	Key       string // idempotency key
	Counter   *counterApplicant
	// Spare offers what spares a paper (licence, library, shared data).
	Spare *exchangeApply
}

type bundleFieldView struct {
	tongban.BundleField
	Type  string   // the input type
	For   []string // the components it feeds
	Value string
	Error string
}

type bundleMaterialView struct {
	bundle.Need
	Upload upload
	Got    bool // counter: the clerk has the paper
	Error  string
}

// inputTypes are the HTML inputs of the field kinds.
var inputTypes = map[tongban.FieldKind]string{tongban.FieldNumber: "number", tongban.FieldDate: "date", tongban.FieldPhone: "tel"}

func (w *Web) bundleParam(r *http.Request) (*tongban.Bundle, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, tongban.Errorf(tongban.ENotFound, "一件事不存在")
	}
	return w.Bundles.Published(r.Context(), id)
}

// fillBundleApply lays out the questions, the fields of the components that
// apply, and the material list once the answers allow one.
func (w *Web) fillBundleApply(r *http.Request, p *bundleApplyPage, answers map[string]string, uploads map[string]upload, got map[string]bool) error {
	b := p.B
	p.Questions = p.Questions[:0]
	for _, s := range b.Situations {
		p.Questions = append(p.Questions, bundleQuestion{BundleSituation: s, Chosen: answers[s.Key]})
	}
	all := len(answers) == len(b.Situations)
	for _, s := range b.Situations {
		all = all && answers[s.Key] != ""
	}
	if all {
		_, cl, err := w.Bundles.Checklist(r.Context(), b.ID, answers)
		switch {
		case tongban.ErrorCodeOf(err) == tongban.EInvalid:
			p.Form.Errors["answers"] = tongban.AsError(err).Message
		case err != nil:
			return err
		default:
			p.Checklist = cl
		}
	}
	p.Fields = p.Fields[:0]
	for _, f := range b.Fields {
		v := bundleFieldView{BundleField: f, Type: inputTypes[f.Kind], Value: p.Form.Values["field_"+f.Key], Error: p.Form.Errors["field_"+f.Key]}
		if v.Type == "" {
			v.Type = "text"
		}
		for _, m := range f.Maps {
			c, ok := b.Component(m.Component)
			if ok && (p.Checklist == nil || p.Checklist.Applies(c.Key)) && !slices.Contains(v.For, c.Name) {
				v.For = append(v.For, c.Name)
			}
		}
		if len(v.For) > 0 {
			p.Fields = append(p.Fields, v)
		}
	}
	p.Materials = p.Materials[:0]
	if p.Checklist != nil {
		for _, n := range p.Checklist.Materials {
			p.Materials = append(p.Materials, bundleMaterialView{Need: n, Upload: uploads[n.Key], Got: got[n.Key],
				Error: p.Form.Errors["file_"+n.Key]})
		}
	}
	w.loadBundleSpare(r, p)
	return nil
}

func (w *Web) newBundleApplyPage(rw http.ResponseWriter, r *http.Request, b *tongban.Bundle) *bundleApplyPage {
	p := &bundleApplyPage{Base: w.base(rw, r, "在线申请"), B: b, Form: newForm(),
		Action: "/bundles/" + strconv.FormatInt(b.ID, 10) + "/apply"}
	p.Spare = w.newExchangeApply(r, p.Lang)
	p.Title = b.Name + " · " + p.Title
	return p
}

// bundleApplicant is the signed-in applicant, if the bundle serves their
// kind: an enterprise's 一件事 (its results are licences an org holds) is
// applied for with an enterprise account, a person's with a person's.
func (w *Web) bundleApplicant(r *http.Request) (*tongban.Bundle, error) {
	u, err := w.applicant(r)
	if err != nil {
		return nil, err
	}
	b, err := w.bundleParam(r)
	if err != nil {
		return nil, err
	}
	if (b.Subject == "法人") != (u.Kind == tongban.UserEnterprise) {
		return nil, tongban.Errorf(tongban.EForbidden, "「%s」的服务对象是%s，请使用%s账号申请", b.Name, b.Subject, b.Subject)
	}
	return b, nil
}

func (w *Web) bundleApplyPage(rw http.ResponseWriter, r *http.Request) error {
	b, err := w.bundleApplicant(r)
	if err != nil {
		return err
	}
	p := w.newBundleApplyPage(rw, r, b)
	p.Key = newKey()
	answers := bundleAnswers(b, r.URL.Query().Get) // carried from the guide, if any
	if err := w.fillBundleApply(r, p, answers, nil, nil); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "bundle_apply", p)
}

// bundleAnswers reads answer_<key> for each situation question.
func bundleAnswers(b *tongban.Bundle, get func(string) string) map[string]string {
	out := map[string]string{}
	for _, s := range b.Situations {
		if a := strings.TrimSpace(get("answer_" + s.Key)); a != "" {
			out[s.Key] = a
		}
	}
	return out
}

// readBundleApply reads a posted form: answers, field values, files.
func (w *Web) readBundleApply(r *http.Request, p *bundleApplyPage) (map[string]string, map[string]upload, map[string]bool, error) {
	answers := bundleAnswers(p.B, r.FormValue)
	for _, f := range p.B.Fields {
		p.Form.Values["field_"+f.Key] = strings.TrimSpace(r.FormValue("field_" + f.Key))
	}
	p.Form.Values["separate"] = r.FormValue("separate")
	p.Key = strings.TrimSpace(r.FormValue("idempotency_key"))
	if p.Key == "" {
		p.Key = newKey()
	}
	// Every line any answers could ask: the files sent are kept whatever
	// the answers turn out to be.
	var keys []string
	got := map[string]bool{}
	if _, cl, err := w.Bundles.Checklist(r.Context(), p.B.ID, answers); err == nil {
		for _, n := range cl.Materials {
			keys = append(keys, n.Key)
			got[n.Key] = r.FormValue("got_"+n.Key) != ""
		}
	}
	uploads, err := w.uploads(r, keys, p.Form.Errors)
	return answers, uploads, got, err
}

// application is the filled form as bundle.Service.Apply takes it.
func (p *bundleApplyPage) application() (bundle.Application, error) {
	values := map[string]string{}
	for _, f := range p.Fields {
		if f.Value != "" {
			values[f.Key] = f.Value
		}
	}
	form, err := json.Marshal(values)
	if err != nil {
		return bundle.Application{}, err
	}
	in := bundle.Application{BundleID: p.B.ID, Answers: map[string]string{}, Form: form, Delivery: tongban.DeliveryPickup,
		Separate: p.Form.Values["separate"] != "", IdempotencyKey: p.Key, Channel: tongban.ChannelOnline}
	for _, q := range p.Questions {
		in.Answers[q.Key] = q.Chosen
	}
	for _, m := range p.Materials {
		switch {
		case m.Upload.Hash != "":
			in.Materials = append(in.Materials, tongban.CaseMaterial{Key: m.Key, Status: tongban.MaterialProvided, BlobHash: m.Upload.Hash})
		case m.Got:
			in.Materials = append(in.Materials, tongban.CaseMaterial{Key: m.Key, Status: tongban.MaterialProvided})
		default:
			if spared, ok := p.Spare.material(m.Key); ok {
				in.Materials = append(in.Materials, spared)
			}
		}
	}
	return in, nil
}

// checkBundleApply checks at the edge what the service would refuse
// anyway, so every problem shows at once: each question, each file.
func (p *bundleApplyPage) checkBundleApply() bool {
	ok := p.Form.Errors["answers"] == ""
	for _, q := range p.Questions {
		if q.Chosen == "" {
			p.Form.Errors["answer_"+q.Key] = p.Lang.tf("请回答「%s」", q.Question)
			ok = false
		}
	}
	for i, m := range p.Materials {
		if m.Error != "" {
			ok = false
		} else if m.Upload.Hash == "" && !m.Got && !p.Spare.Covers(m.Key) {
			p.Materials[i].Error = p.Lang.tf("请上传「%s」", m.Name)
			ok = false
		}
	}
	return ok && p.Checklist != nil
}

// showBundleError puts the service's refusal on the field it names; a
// material's index in sent becomes that material's line.
func (p *bundleApplyPage) showBundleError(err error, sent []tongban.CaseMaterial) {
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
	switch {
	case strings.HasPrefix(e.Field, "form."):
		key := strings.TrimPrefix(e.Field, "form.")
		for i := range p.Fields {
			if p.Fields[i].Key == key {
				p.Fields[i].Error = e.Message
				return
			}
		}
	case strings.HasPrefix(e.Field, "answers."):
		p.Form.Errors["answer_"+strings.TrimPrefix(e.Field, "answers.")] = e.Message
		return
	}
	p.Form.Error = e.Message
}

func (w *Web) bundleApplySubmit(rw http.ResponseWriter, r *http.Request) error {
	b, err := w.bundleApplicant(r)
	if err != nil {
		return err
	}
	p := w.newBundleApplyPage(rw, r, b)
	answers, uploads, got, err := w.readBundleApply(r, p)
	if err != nil {
		return err
	}
	if err := w.fillBundleApply(r, p, answers, uploads, got); err != nil {
		return err
	}
	if r.FormValue("tailor") != "" { // "按情形更新": show the list, judge nothing yet
		return w.render(rw, r, http.StatusOK, "bundle_apply", p)
	}
	return w.submitBundle(rw, r, p, 0)
}

// submitBundle files the application (for applicantID at a window, or the
// signed-in applicant online) and goes to the parent case.
func (w *Web) submitBundle(rw http.ResponseWriter, r *http.Request, p *bundleApplyPage, applicantID int64) error {
	if !p.checkBundleApply() {
		p.Form.Error = p.Lang.T("申请未提交，请按提示修改。已上传的文件已保存，无需重新选择。")
		return w.render(rw, r, http.StatusBadRequest, "bundle_apply", p)
	}
	in, err := p.application()
	if err != nil {
		return err
	}
	if applicantID != 0 {
		in.ApplicantID, in.Channel = applicantID, tongban.ChannelCounter
	}
	bc, _, err := w.Bundles.Apply(r.Context(), w.wf(r), in)
	if err != nil {
		if !userError(err) {
			return err
		}
		p.showBundleError(err, in.Materials)
		return w.render(rw, r, tongban.HTTPStatus(err), "bundle_apply", p)
	}
	path := "/cases/" + bc.Number
	if applicantID != 0 {
		path = "/console/bundle-cases/" + bc.Number
	}
	w.redirectFlash(rw, r, path, "一件事申请已提交，各部门将同步办理。")
	return nil
}
