package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Catalog admins see the standard materials and maintain them on the page;
// a bad field comes back on the form and nothing is saved.
func TestStandardMaterialsPage(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	b.signIn("catalog")
	status, page := b.get("/console/catalog/standards")
	if status != http.StatusOK {
		t.Fatalf("standards: %d", status)
	}
	pageHas(t, "standards", page, `id="standard-materials"`, `data-code="BZ0101"`, "居民身份证", "身份证", `id="standard-form"`)

	_, page = b.get("/console/catalog/standards?code=BZ0402")
	pageHas(t, "edit form", page, "修改标准材料", `value="房屋租赁合同"`, "readonly")

	v := url.Values{"code": {"BZ1101"}, "name": {"居民户口簿"}, "valid_months": {"12"}, "reusable": {"1"}}
	status, page, _ = catalogPost(b, "/console/catalog/standards", "/console/catalog/standards", v)
	if status != http.StatusBadRequest || !strings.Contains(page, "已有同名的标准材料") {
		t.Errorf("duplicate name: %d", status)
	}
	v.Set("name", "农村宅基地使用权证")
	v.Set("aliases", "宅基地证、宅基地使用证")
	status, _, loc := catalogPost(b, "/console/catalog/standards", "/console/catalog/standards", v)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/catalog/standards") {
		t.Fatalf("save: %d %s", status, loc)
	}
	m, err := a.Store.StandardMaterial(context.Background(), "BZ1101")
	if err != nil || m.Name != "农村宅基地使用权证" || len(m.Aliases) != 2 || m.ValidMonths != 12 || !m.Reusable {
		t.Errorf("stored %+v, %v", m, err)
	}
}
