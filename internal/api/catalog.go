package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/httpx"
)

// MaxImportFile bounds an uploaded catalog file (the real 1,135-row district
// list is under 200 KB; a full city with materials stays well below this).
const MaxImportFile = 32 << 20

type listingPage struct {
	Total    int                `json:"total"`
	Listings []*tongban.Listing `json:"listings"`
}

// guide is everything an applicant needs to know before a trip (办事指南).
type guide struct {
	*tongban.Listing
	Item *tongban.Item `json:"item"`
}

type checklistInput struct {
	Answers map[string]string `json:"answers"`           // situation key → answer key or label
	Version int               `json:"version,omitempty"` // a case's listing version; 0 = current
}

type claimInput struct {
	OrgID int64 `json:"org_id"`
}

type saveInput struct {
	tongban.Listing
	Reason string `json:"reason"`
}

type statusInput struct {
	Version int    `json:"version,omitempty"` // the version reviewed; 0 = current
	Reason  string `json:"reason"`
}

// catalogError is the error shape plus what a catalog refusal carries: the
// quality issues of a listing, or the row/column errors of a file.
type catalogError struct {
	Error catalogErrorDetail `json:"error"`
}

type catalogErrorDetail struct {
	errorDetail
	Issues []catalog.Issue    `json:"issues,omitempty"`
	Rows   []catalog.RowError `json:"rows,omitempty"`
}

func (a *API) catalogRoutes() {
	page := []Param{{Name: "limit", Description: "每页条数，默认 100，最多 1000"}, {Name: "offset", Description: "跳过条数"}}
	a.add(Route{Method: "GET", Path: "/api/v1/items", Summary: "基本目录事项列表", Tag: "catalog",
		Query: append([]Param{{Name: "q", Description: "名称或编码的一部分"}, {Name: "type", Description: "事项类型，如 licensing"},
			{Name: "sector", Description: "业务领域"}}, page...),
		Out: []tongban.Item{}, handle: a.listItems})
	a.add(Route{Method: "GET", Path: "/api/v1/items/{code}", Summary: "事项详情（基本编码）", Tag: "catalog",
		Out: tongban.Item{}, handle: a.getItem})
	a.add(Route{Method: "POST", Path: "/api/v1/items/{code}/claim", Summary: "事项认领：部门认领事项并生成实施清单草稿", Tag: "catalog",
		Access: staffOnly, In: claimInput{}, Out: catalog.Result{}, Status: http.StatusCreated, handle: a.claimItem})
	a.add(Route{Method: "GET", Path: "/api/v1/listings", Summary: "实施清单列表（未登录只列出已发布）", Tag: "catalog",
		Query: append([]Param{{Name: "region", Description: "行政区划代码：该区划及其下级"}, {Name: "org", Description: "实施部门 ID"},
			{Name: "status", Description: "draft | published | suspended | withdrawn"}, {Name: "item", Description: "事项基本编码"},
			{Name: "audience", Description: "person | enterprise"}, {Name: "case_type", Description: "instant | promised"},
			{Name: "online_depth", Description: "fully_online | online_verify | online_preview | on_site"},
			{Name: "q", Description: "名称或实施编码的一部分"}}, page...),
		Out: listingPage{}, handle: a.listListings})
	a.add(Route{Method: "GET", Path: "/api/v1/listings/{id}", Summary: "办事指南：实施清单及其事项", Tag: "catalog",
		Out: guide{}, handle: a.getListing})
	a.add(Route{Method: "GET", Path: "/api/v1/listings/{id}/versions", Summary: "实施清单的历史版本（新的在前）", Tag: "catalog",
		Access: staffOnly, Out: []tongban.ListingVersion{}, handle: a.listingVersions})
	a.add(Route{Method: "POST", Path: "/api/v1/listings/{id}/checklist", Summary: "一次性告知：按情形回答生成本人的材料清单和受理条件", Tag: "catalog",
		In: checklistInput{}, Out: catalog.Checklist{}, handle: a.checklist})
	a.add(Route{Method: "PUT", Path: "/api/v1/listings/{id}", Summary: "保存实施清单（生成新版本，返回质检结果）；启用发布审核时，已发布清单的修改不生效，返回待审核的修改 proposal", Tag: "catalog",
		Access: staffOnly, In: saveInput{}, Out: catalog.Result{}, ErrorOut: catalogError{}, handle: a.saveListing})
	a.add(Route{Method: "POST", Path: "/api/v1/listings/{id}/publish", Summary: "发布实施清单（有质检错误时拒绝并列出错误）", Tag: "catalog",
		Access: staffOnly, In: statusInput{}, Out: catalog.Result{}, ErrorOut: catalogError{}, handle: a.publishListing})
	a.add(Route{Method: "POST", Path: "/api/v1/listings/{id}/suspend", Summary: "暂停实施清单（须说明原因）", Tag: "catalog",
		Access: staffOnly, In: statusInput{}, Out: tongban.Listing{}, handle: a.suspendListing})
	a.add(Route{Method: "POST", Path: "/api/v1/listings/{id}/withdraw", Summary: "撤销实施清单（须说明原因）", Tag: "catalog",
		Access: staffOnly, In: statusInput{}, Out: tongban.Listing{}, handle: a.withdrawListing})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/quality", Summary: "清单质检报告", Tag: "catalog", Access: staffOnly,
		Query: []Param{{Name: "region", Description: "行政区划代码"}, {Name: "org", Description: "实施部门 ID"},
			{Name: "status", Description: "只检查该状态的清单；默认除已撤销外全部"}},
		Out: catalog.QualityReport{}, handle: a.qualityReport})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/consistency", Summary: "三统一报告：各区县清单与市级标准的差异", Tag: "catalog",
		Access: staffOnly, Out: []catalog.ItemConsistency{}, handle: a.consistencyReport,
		Query: []Param{{Name: "item", Description: "事项基本编码；不填为全部事项"}, {Name: "region", Description: "行政区划代码"}}})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/import", Tag: "catalog", Access: staffOnly,
		Summary:  "导入事项清单：multipart/form-data 上传 file（xlsx 或 csv），可选 create_orgs=1、publish=1；有错误时返回 400 及逐行逐列的错误，不写入任何数据",
		Consumes: []string{"multipart/form-data"}, FormFields: []string{"create_orgs", "publish"},
		Out: catalog.ImportResult{}, ErrorOut: catalogError{}, handle: a.importCatalog})
}

// pageOf reads limit and offset; the API pages by 100, at most 1000.
func pageOf(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	limit, offset = 100, 0
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit <= 0 || limit > 1000 {
			return 0, 0, tongban.FieldError("limit", "应为1到1000之间的整数")
		}
	}
	if s := q.Get("offset"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, tongban.FieldError("offset", "应为非负整数")
		}
	}
	return limit, offset, nil
}

func (a *API) listItems(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := tongban.ItemFilter{Q: q.Get("q"), Sector: q.Get("sector"), Limit: limit, Offset: offset}
	if s := q.Get("type"); s != "" {
		t, ok := tongban.ParseItemType(s)
		if !ok {
			return tongban.FieldError("type", "事项类型无效：%s", s)
		}
		f.Type = t
	}
	items, err := a.Store.Items(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(items))
}

func (a *API) getItem(w http.ResponseWriter, r *http.Request) error {
	it, err := a.Store.ItemByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, it)
}

func (a *API) claimItem(w http.ResponseWriter, r *http.Request) error {
	var in claimInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.OrgID <= 0 {
		return tongban.FieldError("org_id", "请选择认领的部门")
	}
	res, err := a.Catalog.ClaimItem(r.Context(), a.request(r), r.PathValue("code"), in.OrgID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, res)
}

func (a *API) listListings(w http.ResponseWriter, r *http.Request) error {
	limit, offset, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := tongban.ListingFilter{Region: q.Get("region"), ItemCode: q.Get("item"), Q: q.Get("q"), Limit: limit, Offset: offset}
	if s := q.Get("org"); s != "" {
		if f.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return tongban.FieldError("org", "应为部门 ID")
		}
	}
	enums := []struct {
		name string
		set  func(string) bool
	}{
		{"status", func(s string) (ok bool) { f.Status, ok = tongban.ParseListingStatus(s); return }},
		{"audience", func(s string) (ok bool) { f.Audience, ok = tongban.ParseAudience(s); return }},
		{"case_type", func(s string) (ok bool) { f.CaseType, ok = tongban.ParseCaseType(s); return }},
		{"online_depth", func(s string) (ok bool) { f.Depth, ok = tongban.ParseOnlineDepth(s); return }},
	}
	for _, e := range enums {
		if s := q.Get(e.name); s != "" && !e.set(s) {
			return tongban.FieldError(e.name, "取值无效：%s", s)
		}
	}
	ls, total, err := a.Catalog.Listings(r.Context(), httpx.User(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listingPage{Total: total, Listings: nonNil(ls)})
}

func (a *API) getListing(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := a.Catalog.Listing(r.Context(), httpx.User(r.Context()), id)
	if err != nil {
		return err
	}
	it, err := a.Store.Item(r.Context(), l.ItemID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, guide{Listing: l, Item: it})
}

func (a *API) listingVersions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vs, err := a.Catalog.History(r.Context(), a.request(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(vs))
}

func (a *API) checklist(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in checklistInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	cl, err := a.Catalog.Checklist(r.Context(), httpx.User(r.Context()), id, in.Version, in.Answers)
	if err != nil {
		return err
	}
	cl.Materials, cl.Conditions = nonNil(cl.Materials), nonNil(cl.Conditions)
	return writeJSON(w, http.StatusOK, cl)
}

func (a *API) saveListing(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in saveInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	in.Listing.ID = id
	res, err := a.Catalog.SaveListing(r.Context(), a.request(r), in.Listing, in.Reason)
	if err != nil {
		return a.catalogError(w, r, err)
	}
	return writeJSON(w, http.StatusOK, res)
}

func (a *API) publishListing(w http.ResponseWriter, r *http.Request) error {
	id, in, err := statusRequest(w, r)
	if err != nil {
		return err
	}
	res, err := a.Catalog.Publish(r.Context(), a.request(r), id, in.Version, in.Reason)
	if err != nil {
		return a.catalogError(w, r, err)
	}
	return writeJSON(w, http.StatusOK, res)
}

func (a *API) suspendListing(w http.ResponseWriter, r *http.Request) error {
	id, in, err := statusRequest(w, r)
	if err != nil {
		return err
	}
	l, err := a.Catalog.Suspend(r.Context(), a.request(r), id, in.Version, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (a *API) withdrawListing(w http.ResponseWriter, r *http.Request) error {
	id, in, err := statusRequest(w, r)
	if err != nil {
		return err
	}
	l, err := a.Catalog.Withdraw(r.Context(), a.request(r), id, in.Version, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func statusRequest(w http.ResponseWriter, r *http.Request) (int64, statusInput, error) {
	var in statusInput
	id, err := pathID(r, "id")
	if err != nil {
		return 0, in, err
	}
	if r.ContentLength != 0 {
		err = decode(w, r, &in)
	}
	return id, in, err
}

func (a *API) qualityReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := catalog.ReportFilter{Region: q.Get("region")}
	if s := q.Get("org"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return tongban.FieldError("org", "应为部门 ID")
		}
		f.OrgID = id
	}
	if s := q.Get("status"); s != "" {
		st, ok := tongban.ParseListingStatus(s)
		if !ok {
			return tongban.FieldError("status", "取值无效：%s", s)
		}
		f.Status = st
	}
	rep, err := a.Catalog.CheckReport(r.Context(), a.request(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (a *API) consistencyReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rep, err := a.Catalog.ConsistencyReport(r.Context(), a.request(r), q.Get("item"), q.Get("region"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (a *API) importCatalog(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxImportFile)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tongban.FieldError("file", "文件不能超过 %d MB", MaxImportFile>>20)
		}
		return tongban.FieldError("file", "请以 multipart/form-data 上传文件（字段名 file）")
	}
	defer r.MultipartForm.RemoveAll()
	if err := httpx.CheckForm(r); err != nil {
		return err
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return tongban.FieldError("file", "请选择要导入的文件")
	}
	defer f.Close()
	format := catalog.FormatOf(hdr.Filename)
	if format == "" {
		return tongban.FieldError("file", "只支持 xlsx 或 csv 文件")
	}
	opt := catalog.ImportOptions{CreateMissingOrgs: formBool(r, "create_orgs"), Publish: formBool(r, "publish"),
		Reason: "上传导入 " + hdr.Filename}
	res, err := a.Catalog.ImportFile(r.Context(), a.request(r), f, format, opt, nil)
	if err != nil {
		return a.catalogError(w, r, err)
	}
	return writeJSON(w, http.StatusOK, res)
}

func formBool(r *http.Request, name string) bool {
	switch r.FormValue(name) {
	case "1", "true", "on", "yes", "是":
		return true
	}
	return false
}

// catalogError writes a refusal with its quality issues or row errors, so a
// client can show every one; other errors take the common path.
func (a *API) catalogError(w http.ResponseWriter, r *http.Request, err error) error {
	var qe *catalog.QualityError
	var rows catalog.RowErrors
	hasQ, hasRows := errors.As(err, &qe), errors.As(err, &rows)
	if !hasQ && !hasRows {
		return err
	}
	e := tongban.AsError(err)
	body := catalogError{Error: catalogErrorDetail{errorDetail: errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}}}
	if hasQ {
		body.Error.Issues = qe.Report.Issues
	}
	if hasRows {
		body.Error.Rows = rows
	}
	return writeJSON(w, tongban.HTTPStatus(e), body)
}
