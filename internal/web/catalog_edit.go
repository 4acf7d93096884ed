package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
)

type catalogEditPage struct {
	catalogBase
	L       *tongban.Listing
	Item    *tongban.Item
	Region  string
	Version int // the version the form was loaded from
	Form    form
	Report  catalog.Report
	Errors  []catalog.Issue
	Warns   []catalog.Issue
	// Refused is why a save or publish was refused; its errors are Errors.
	Refused string
	Columns []catalogField
	// Rows are the row-edited parts (materials, steps, fees, situations)
	// by table; RowErrors name each bad cell by row and field.
	Rows            map[string][]rowValues
	RowErrors       []string
	Standards       []rowOption       // the standard-material choices
	StandardLicense map[string]string // standard material → its e-licence type
	catalogReviewState
}

// catalogField is one form field: its column and how to show it.
type catalogField struct {
	Key, Label, Kind, Help string // Kind: text, number, textarea, select, check
	Options                []string
}

// catalogFields describes the form; the help lines are the import syntax.
var catalogFields = []catalogField{
	{Key: "listing_name", Label: "实施名称", Kind: "text"},
	{Key: "case_type", Label: "办件类型", Kind: "select", Options: []string{"", "即办件", "承诺件"}},
	{Key: "promised_days", Label: "承诺时限（工作日）", Kind: "number"},
	{Key: "conditions", Label: "受理条件", Kind: "textarea", Help: "每行一条"},
	{Key: "steps", Label: "办理流程", Kind: "rows"},
	{Key: "fees", Label: "收费", Kind: "rows"},
	{Key: "place", Label: "办理地点", Kind: "text"},
	{Key: "hours", Label: "办理时间", Kind: "text"},
	{Key: "phone", Label: "咨询电话", Kind: "text"},
	{Key: "complaint_phone", Label: "监督投诉电话", Kind: "text"},
	{Key: "trips", Label: "到现场次数", Kind: "number"},
	{Key: "online_depth", Label: "办理深度", Kind: "select", Options: []string{"", "全程网办", "网上申请+现场核验", "网上预审", "现场办理"}},
	{Key: "most_one_trip", Label: "最多跑一次", Kind: "check"},
	{Key: "tolerant_acceptance", Label: "容缺受理", Kind: "check"},
	{Key: "commitment", Label: "告知承诺", Kind: "check"},
	{Key: "cross_region", Label: "跨域通办", Kind: "check"},
	{Key: "express", Label: "物流快递", Kind: "check"},
	{Key: "appointment", Label: "预约办理", Kind: "check"},
	{Key: "result_name", Label: "办理结果名称", Kind: "text"},
	{Key: "result_type", Label: "结果类型", Kind: "select", Options: []string{"", "证照", "批文", "其他"}},
	{Key: "result_license_type", Label: "结果证照类型代码", Kind: "text",
		Help: "结果类型为证照时，填写所签发电子证照的证照类型代码（21位），如营业执照 11100000MB0143028R001；办结时签发该类型的电子证照"},
	{Key: "materials", Label: "申请材料", Kind: "rows"},
	{Key: "situations", Label: "情形", Kind: "rows"},
	{Key: "effects", Label: "情形效果", Kind: "rows"},
	{Key: "faq", Label: "常见问题", Kind: "rows"},
}

func (w *Web) catalogListingParam(r *http.Request) (*tongban.Listing, *tongban.Item, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, tongban.Errorf(tongban.ENotFound, "实施清单不存在")
	}
	l, err := w.Store.Listing(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if err := w.Identity.Authorizer.RequireOrg(r.Context(), httpx.User(r.Context()), identity.PermCatalogEdit, l.OrgID); err != nil {
		return nil, nil, err
	}
	it, err := w.Store.Item(r.Context(), l.ItemID)
	if err != nil {
		return nil, nil, err
	}
	return l, it, nil
}

// newCatalogEditPage shows l with its quality report; values and rows, if
// not nil, are what the member typed.
func (w *Web) newCatalogEditPage(rw http.ResponseWriter, r *http.Request, u *tongban.User, l *tongban.Listing, it *tongban.Item,
	version int, values map[string]string, rows map[string][]rowValues) (*catalogEditPage, error) {
	p := &catalogEditPage{catalogBase: w.catalogBase(rw, r, u, "编辑实施清单", "list"), L: l, Item: it, Version: version,
		Form: newForm(), Columns: catalogFields}
	p.Title = l.Name + " · " + p.Title
	p.Region = l.RegionCode
	if reg, err := w.Store.Region(r.Context(), l.RegionCode); err == nil {
		p.Region = reg.Name
	}
	if values == nil {
		cells, err := listingCells(*it, *l)
		if err != nil {
			return nil, err
		}
		values = cells
	}
	if rows == nil {
		rows = listingRows(*l)
	}
	p.Form.Values, p.Rows = values, rows
	if err := p.loadStandardOptions(r.Context(), w.Store); err != nil {
		return nil, err
	}
	rs, err := w.reviewState(r, u, l, p.CanPublish)
	if err != nil {
		return nil, err
	}
	p.catalogReviewState = rs
	p.setReport(catalog.Check(*it, *l))
	return p, nil
}

// setReport shows a quality report, each error also by the field it is about.
func (p *catalogEditPage) setReport(rep catalog.Report) {
	p.Report, p.Errors, p.Warns = rep, nil, nil
	for _, is := range rep.Issues {
		if is.Severity != catalog.SeverityError {
			p.Warns = append(p.Warns, is)
			continue
		}
		p.Errors = append(p.Errors, is)
		if table, row, col, ok := (listingParts{}).cellOf(is.Field); ok && table != "situations" {
			name := rowName(table, row, col)
			if !strings.Contains(p.Form.Errors[name], is.Message) {
				if p.Form.Errors[name] != "" {
					p.Form.Errors[name] += "；"
				}
				p.Form.Errors[name] += is.Message
			}
		}
		if key := issueColumn(is.Field); key != "" && !strings.Contains(p.Form.Errors[key], is.Message) {
			if p.Form.Errors[key] != "" {
				p.Form.Errors[key] += "；"
			}
			p.Form.Errors[key] += is.Message
		}
	}
}

// issueColumn is the form field a quality issue's field path is about:
// materials[1].review_criteria → materials, flags.express → express.
func issueColumn(field string) string {
	head, rest, _ := strings.Cut(field, ".")
	head, _, _ = strings.Cut(head, "[")
	switch head {
	case "name":
		return "listing_name"
	case "flags":
		return rest
	case "result":
		if rest == "type" {
			return "result_type"
		}
		return "result_name"
	}
	for _, c := range catalogFormColumns {
		if c == head {
			return head
		}
	}
	return ""
}

func (w *Web) catalogEditPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	l, it, err := w.catalogListingParam(r)
	if err != nil {
		return err
	}
	p, err := w.newCatalogEditPage(rw, r, u, l, it, l.Version, nil, nil)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "catalog_edit", p)
}

// catalogSave stores the form as a new version. A draft saves whatever its
// quality and the page then shows the report; an edit of a published
// listing must pass the check, and a refusal keeps what was typed.
func (w *Web) catalogSave(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	l, it, err := w.catalogListingParam(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	values := catalogFormValues(r.PostFormValue)
	op := r.PostFormValue("row_op")
	rows := readRows(r.PostForm, op == "")
	p, err := w.newCatalogEditPage(rw, r, u, l, it, version, values, rows)
	if err != nil {
		return err
	}
	p.Form.Values["reason"] = r.PostFormValue("reason")
	if op != "" {
		// A row added, removed or moved: shown again, nothing saved.
		if !applyRowOp(rows, op) {
			return tongban.FieldError("row_op", "无法识别的表格操作")
		}
		return w.render(rw, r, http.StatusOK, "catalog_edit", p)
	}
	edited, errs, err := parseListingForm(*it, *l, values)
	if err != nil {
		return err
	}
	parts, rowErrs := parseRows(rows)
	parts.set(&edited)
	parts.problems(edited, &rowErrs)
	if len(errs) > 0 || !rowErrs.empty() {
		if errs != nil {
			p.Form.Errors = errs
		}
		for k, v := range rowErrs.cells {
			p.Form.Errors[k] = v
		}
		p.RowErrors = rowErrs.list
		p.Form.Error = "清单未保存：请按提示修改标出的栏目。"
		return w.render(rw, r, http.StatusBadRequest, "catalog_edit", p)
	}
	edited.Version = version
	res, err := w.Catalog.SaveListing(r.Context(), w.request(r), edited, r.PostFormValue("reason"))
	if err != nil {
		return w.catalogRefused(rw, r, p, *it, edited, "清单未保存", err)
	}
	msg := "已保存为第" + strconv.Itoa(res.Listing.Version) + "版"
	if res.Proposal != nil {
		msg = "修改已提交审核：须由另一名管理员发布后生效，此前公众看到的仍是第" + strconv.Itoa(res.Listing.Version) + "版"
	} else if res.Listing.Version == version {
		msg = "没有修改，未生成新版本"
	}
	if n := res.Report.Errors(); n > 0 {
		msg += "；质量检查有 " + strconv.Itoa(n) + " 项错误，改正后才能发布"
	}
	w.redirectFlash(rw, r, "/console/catalog/listings/"+strconv.FormatInt(l.ID, 10), msg)
	return nil
}

// catalogRefused shows why the service refused: the quality errors of the
// listing as it would have been, or the one field at fault.
func (w *Web) catalogRefused(rw http.ResponseWriter, r *http.Request, p *catalogEditPage, it tongban.Item, l tongban.Listing,
	what string, err error) error {
	if !catalogUserError(err) && tongban.ErrorCodeOf(err) != tongban.EForbidden {
		return err
	}
	var qe *catalog.QualityError
	if errors.As(err, &qe) {
		p.setReport(qe.Report)
	} else {
		p.setReport(catalog.Check(it, l))
		p.Form.fail(err)
		if f := p.Form.Errors; len(f) > 0 {
			p.Form.Error = tongban.AsError(err).Message
		}
	}
	p.Refused = what + "：" + tongban.AsError(err).Message
	if qe != nil {
		p.Refused = what + "：质量检查有 " + strconv.Itoa(qe.Report.Errors()) + " 项错误"
	}
	return w.render(rw, r, tongban.HTTPStatus(err), "catalog_edit", p)
}

// catalogStatus publishes, suspends or withdraws a listing. Publishing
// refused by the quality gate shows the page with every error listed.
func (w *Web) catalogStatus(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	l, it, err := w.catalogListingParam(r)
	if err != nil {
		return err
	}
	ctx, req := r.Context(), w.request(r)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var msg, what string
	switch r.PathValue("action") {
	case "publish":
		what, msg = "不能发布", "已发布，申请人现在可以搜到并申请"
		if l.Status == tongban.ListingPublished {
			what, msg = "不能发布修改", "修改已发布，公众现在看到的是新版本"
		}
		_, err = w.Catalog.Publish(ctx, req, l.ID, version, reason)
	case "suspend":
		what, msg = "不能暂停", "已暂停受理"
		_, err = w.Catalog.Suspend(ctx, req, l.ID, version, reason)
	case "withdraw":
		what, msg = "不能撤销", "已撤销"
		_, err = w.Catalog.Withdraw(ctx, req, l.ID, version, reason)
	case "propose":
		action := tongban.ProposalAction(r.PostFormValue("action"))
		what, msg = "不能提交发布申请", "已提交发布申请，待另一名管理员审核发布"
		if action == tongban.ProposeToSuspend || action == tongban.ProposeToWithdraw {
			what, msg = "不能提交"+action.Label()+"申请", "已提交"+action.Label()+"申请，待另一名管理员审核"
		}
		_, err = w.Catalog.ProposeAction(ctx, req, l.ID, version, action, reason)
	case "proposal-close":
		what = "不能撤回或退回发布申请"
		var p *tongban.ListingProposal
		if p, err = w.Catalog.CloseProposal(ctx, req, l.ID, reason); err == nil {
			msg = "已" + p.Status.Label() + "发布申请"
		}
	default:
		return tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	if err != nil {
		p, perr := w.newCatalogEditPage(rw, r, u, l, it, l.Version, nil, nil)
		if perr != nil {
			return perr
		}
		p.Form.Values["status_reason"] = reason
		return w.catalogRefused(rw, r, p, *it, *l, what, err)
	}
	w.redirectFlash(rw, r, "/console/catalog/listings/"+strconv.FormatInt(l.ID, 10), msg)
	return nil
}

type catalogHistoryPage struct {
	catalogBase
	L        *tongban.Listing
	Versions []catalogVersion
}

type catalogVersion struct {
	*tongban.ListingVersion
	By      string
	Changes []string // what differs from the version before
}

// catalogHistory lists a listing's versions, newest first, each with who,
// when, why, and which parts changed.
func (w *Web) catalogHistory(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	l, _, err := w.catalogListingParam(r)
	if err != nil {
		return err
	}
	vs, err := w.Catalog.History(r.Context(), w.request(r), l.ID)
	if err != nil {
		return err
	}
	p := catalogHistoryPage{catalogBase: w.catalogBase(rw, r, u, "历史版本", "list"), L: l}
	p.Title = l.Name + " · " + p.Title
	names := map[int64]string{0: "系统"}
	for i, v := range vs {
		cv := catalogVersion{ListingVersion: v}
		if _, ok := names[v.ChangedBy]; !ok {
			names[v.ChangedBy] = "#" + strconv.FormatInt(v.ChangedBy, 10)
			if who, err := w.Store.User(r.Context(), v.ChangedBy); err == nil {
				names[v.ChangedBy] = who.Name
			}
		}
		cv.By = names[v.ChangedBy]
		if i+1 < len(vs) {
			cv.Changes = listingChanges(vs[i+1].Listing, v.Listing)
		}
		p.Versions = append(p.Versions, cv)
	}
	return w.render(rw, r, http.StatusOK, "catalog_history", p)
}

// listingChanges names the parts of a listing that differ between versions.
func listingChanges(a, b tongban.Listing) []string {
	var out []string
	same := func(x, y any) bool { return catalogJSON(x) == catalogJSON(y) }
	for _, c := range []struct {
		label string
		x, y  any
	}{
		{"状态", a.Status, b.Status}, {"实施名称", a.Name, b.Name},
		{"时限", [2]any{a.CaseType, a.PromisedDays}, [2]any{b.CaseType, b.PromisedDays}},
		{"受理条件", a.Conditions, b.Conditions}, {"办理流程", a.Steps, b.Steps}, {"收费", a.Fees, b.Fees},
		{"地点与联系方式", [4]string{a.Place, a.Hours, a.Phone, a.ComplaintPhone}, [4]string{b.Place, b.Hours, b.Phone, b.ComplaintPhone}},
		{"到现场次数", a.Trips, b.Trips}, {"办理深度", a.OnlineDepth, b.OnlineDepth}, {"改革标识", a.Flags, b.Flags},
		{"办理结果", a.Result, b.Result}, {"申请材料", a.Materials, b.Materials}, {"情形", a.Situations, b.Situations},
		{"常见问题", a.FAQ, b.FAQ},
	} {
		if !same(c.x, c.y) {
			out = append(out, c.label)
		}
	}
	return out
}

func catalogJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
