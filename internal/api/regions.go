package api

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
)

func (a *API) regionRoutes() {
	within := Param{Name: "within", Description: "行政区划代码：只列出该区划及其下级"}
	a.add(Route{Method: "GET", Path: "/api/v1/regions", Summary: "行政区划列表", Tag: "directory",
		Query: []Param{within}, Out: []tongban.Region{}, handle: a.listRegions})
	a.add(Route{Method: "GET", Path: "/api/v1/regions/{code}", Summary: "行政区划详情", Tag: "directory",
		Out: tongban.Region{}, handle: a.getRegion})
	a.add(Route{Method: "POST", Path: "/api/v1/regions", Summary: "新增行政区划（系统管理员）", Tag: "directory", Access: staffOnly,
		In: tongban.Region{}, Out: tongban.Region{}, Status: http.StatusCreated, handle: a.createRegion})
	a.add(Route{Method: "GET", Path: "/api/v1/orgs", Summary: "部门、大厅、窗口、后台专区列表", Tag: "directory",
		Query: []Param{within, {Name: "kind", Description: "department | hall | window | board"}}, Out: []tongban.Org{}, handle: a.listOrgs})
	a.add(Route{Method: "GET", Path: "/api/v1/orgs/{id}", Summary: "机构详情", Tag: "directory",
		Out: tongban.Org{}, handle: a.getOrg})
	a.add(Route{Method: "POST", Path: "/api/v1/orgs", Summary: "新增机构（系统管理员）", Tag: "directory", Access: staffOnly,
		In: tongban.Org{}, Out: tongban.Org{}, Status: http.StatusCreated, handle: a.createOrg})
}

func (a *API) listRegions(w http.ResponseWriter, r *http.Request) error {
	regions, err := a.Store.Regions(r.Context(), r.URL.Query().Get("within"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(regions))
}

func (a *API) getRegion(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.Store.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reg)
}

func (a *API) createRegion(w http.ResponseWriter, r *http.Request) error {
	var reg tongban.Region
	if err := decode(w, r, &reg); err != nil {
		return err
	}
	if err := a.Directory.CreateRegion(r.Context(), &reg, a.request(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, reg)
}

func (a *API) listOrgs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind := tongban.OrgKind(q.Get("kind"))
	if kind != "" && !kind.Valid() {
		return tongban.FieldError("kind", "机构类型应为 department、hall、window 或 board")
	}
	orgs, err := a.Store.Orgs(r.Context(), tongban.OrgFilter{Within: q.Get("within"), Kind: kind})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(orgs))
}

func (a *API) getOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := a.Store.Org(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) createOrg(w http.ResponseWriter, r *http.Request) error {
	var o tongban.Org
	if err := decode(w, r, &o); err != nil {
		return err
	}
	o.ID = 0
	if err := a.Directory.CreateOrg(r.Context(), &o, a.request(r)); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

// pathID parses a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, tongban.FieldError(name, "应为正整数")
	}
	return id, nil
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }
