package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/identity"
)

// Catalog admins create a 一件事 and new versions of one at
// /console/catalog/bundles: the definition is edited as JSON in exactly the
// shape the import file and GET /api/v1/bundles/{id} use (lead department
// and listings by code; components with their prerequisites, situations,
// fields; the merged form; promised days). The server validates it: 检查
// runs the quality check (bundle.Service.Check) and lists every problem by
// field; 保存 stores a draft — beside the live version while the bundle is
// published (applicants keep reading the live one), else a new draft
// version; 发布 stores a new published version only if the check passes;
// 放弃草稿 drops the draft waiting beside the live version. A published version is never changed in
// place (bundle_versions are immutable, applications keep theirs), and the
// service audits every save and publication.

type bundleAdminListPage struct {
	Base
	Bundles []*tongban.Bundle
}

type bundleAdminPage struct {
	Base
	B        *tongban.Bundle   // the stored bundle; nil for a new one
	Versions []*tongban.Bundle // its versions, newest first
	JSON     string            // the definition being edited
	Version  int               // the version the editor started from
	Draft    int               // the pending draft's revision it started from
	Pending  bool              // the definition shown is the draft beside the live version
	Checked  bool              // the quality check ran
	Report   []*tongban.Error  // its problems; none: publishable
	Form     form
}

// Action is where the form posts.
func (p *bundleAdminPage) Action() string {
	if p.B == nil {
		return "/console/catalog/bundles/new"
	}
	return "/console/catalog/bundles/" + strconv.FormatInt(p.B.ID, 10)
}

func (w *Web) bundleAdminList(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermCatalogEdit); err != nil {
		return err
	}
	bs, err := w.Store.Bundles(r.Context(), tongban.BundleFilter{})
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "bundle_admin_list", bundleAdminListPage{Base: w.base(rw, r, "一件事定义"), Bundles: bs})
}

// newBundleSkeleton is the definition a new bundle starts from: the
// import file's shape with two components to fill in.
func newBundleSkeleton() string {
	b := tongban.Bundle{Code: "YJS-", Subject: "个人", Status: tongban.BundleDraft,
		Components: []tongban.BundleComponent{{Key: "a"}, {Key: "b", After: []string{"a"}}},
		Situations: []tongban.BundleSituation{}, Fields: []tongban.BundleField{}}
	data, _ := json.MarshalIndent(b, "", "  ")
	return string(data)
}

func (w *Web) bundleAdminNew(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermCatalogEdit); err != nil {
		return err
	}
	p := &bundleAdminPage{Base: w.base(rw, r, "新建一件事"), JSON: newBundleSkeleton(), Form: newForm()}
	return w.render(rw, r, http.StatusOK, "bundle_admin", p)
}

// bundleAdminOf reads the path's bundle with its versions into a page.
func (w *Web) bundleAdminOf(rw http.ResponseWriter, r *http.Request) (*bundleAdminPage, error) {
	if _, err := w.staff(r, identity.PermCatalogEdit); err != nil {
		return nil, err
	}
	p := &bundleAdminPage{Base: w.base(rw, r, "新建一件事"), Form: newForm()}
	if r.PathValue("id") == "" {
		return p, nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, tongban.Errorf(tongban.ENotFound, "一件事不存在")
	}
	ctx := r.Context()
	if p.B, err = w.Store.Bundle(ctx, id); err != nil {
		return nil, err
	}
	p.Title, p.Version = p.B.Name, p.B.Version
	for v := p.B.Version; v >= 1 && len(p.Versions) < 20; v-- {
		old, err := w.Store.BundleVersion(ctx, id, v)
		if err != nil {
			return nil, err
		}
		p.Versions = append(p.Versions, old)
	}
	def := bundle.Definition(p.B)
	data, err := json.MarshalIndent(def, "", "  ")
	if err != nil {
		return nil, err
	}
	p.JSON, p.Draft = string(data), p.B.PendingRev
	if p.B.Pending != nil {
		if data, err = json.MarshalIndent(bundle.Definition(p.B.Pending), "", "  "); err != nil {
			return nil, err
		}
		p.JSON, p.Pending = string(data), true
	}
	return p, nil
}

func (w *Web) bundleAdminEdit(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.bundleAdminOf(rw, r)
	if err != nil {
		return err
	}
	// The report of what the editor shows (the draft beside the live
	// version, if any), so an admin sees at once why it cannot be published.
	p.Checked = true
	shown := p.B
	if p.B.Pending != nil {
		shown = p.B.Pending
	}
	if p.Report, err = w.Bundles.Check(r.Context(), shown); err != nil {
		if !userError(err) {
			return err
		}
		p.Form.fail(err)
	}
	return w.render(rw, r, http.StatusOK, "bundle_admin", p)
}

// bundleAdminSubmit checks, saves (a new draft version) or publishes (a
// new published version, through the check) the posted definition.
func (w *Web) bundleAdminSubmit(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.bundleAdminOf(rw, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p.JSON = r.FormValue("definition")
	p.Version, _ = strconv.Atoi(r.FormValue("version"))
	p.Draft, _ = strconv.Atoi(r.FormValue("draft"))
	fail := func(err error) error {
		if !userError(err) {
			return err
		}
		p.Form.fail(err)
		return w.render(rw, r, tongban.HTTPStatus(err), "bundle_admin", p)
	}
	action := r.FormValue("action")
	if action == "discard" && p.B != nil {
		if _, err := w.Bundles.DiscardDraft(ctx, w.request(r), p.B.ID, p.Version, p.Draft); err != nil {
			return fail(err)
		}
		w.redirectFlash(rw, r, p.Action(), p.Lang.tf("已放弃草稿，第%d版仍在发布。", p.Version))
		return nil
	}
	var b tongban.Bundle
	dec := json.NewDecoder(strings.NewReader(p.JSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return fail(tongban.FieldError("definition", "一件事定义不是有效的 JSON（格式同导入文件）：%v", err))
	}
	if p.B != nil {
		b.ID, b.Version, b.PendingRev = p.B.ID, p.Version, p.Draft // a stale version or draft is refused, never merged
	} else {
		b.ID, b.Version = 0, 0
		if prev, err := w.Store.BundleByCode(ctx, strings.TrimSpace(b.Code)); err == nil {
			return fail(&tongban.Error{Code: tongban.EConflict, Field: "code",
				Message: "一件事编码已被「" + prev.Name + "」使用，请在其页面编辑新版本"})
		}
	}
	if action == "check" || action == "publish" {
		report, err := w.Bundles.Check(ctx, &b)
		if err != nil {
			return fail(err)
		}
		p.Checked, p.Report = true, report
		if action == "check" {
			return w.render(rw, r, http.StatusOK, "bundle_admin", p)
		}
		if len(report) > 0 {
			p.Form.Error = p.Lang.tf("未通过质量检查（%d项问题），未发布", len(report))
			return w.render(rw, r, http.StatusBadRequest, "bundle_admin", p)
		}
	}
	var saved *tongban.Bundle
	switch action {
	case "save":
		saved, err = w.Bundles.Save(ctx, w.request(r), &b)
	case "publish":
		saved, err = w.Bundles.Publish(ctx, w.request(r), &b)
	default:
		return fail(tongban.FieldError("action", "请选择检查、保存草稿或发布"))
	}
	if err != nil {
		return fail(err)
	}
	msg := "已保存为第" + strconv.Itoa(saved.Version) + "版（" + saved.Status.Label() + "）。"
	if p.B != nil && p.B.Status == tongban.BundlePublished && action == "save" {
		msg = p.Lang.tf("草稿已保存，申请人仍使用第%d版。", saved.Version)
	}
	w.redirectFlash(rw, r, "/console/catalog/bundles/"+strconv.FormatInt(saved.ID, 10), msg)
	return nil
}
