package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// standardsPage is the standard materials list (标准材料目录) and the form to
// add or change one. Catalog editors read it; publishers maintain it.
type standardsPage struct {
	catalogBase
	List    []*tongban.StandardMaterial
	Editing bool // the form holds a stored one (its code is fixed)
	Form    form
}

func (w *Web) standardsPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	p, err := w.newStandardsPage(rw, r, u)
	if err != nil {
		return err
	}
	if code := strings.TrimSpace(r.URL.Query().Get("code")); code != "" {
		for _, m := range p.List {
			if m.Code == code {
				p.Editing = true
				p.Form.Values = standardValues(m)
			}
		}
	}
	return w.render(rw, r, http.StatusOK, "exchange_standards", p)
}

func (w *Web) newStandardsPage(rw http.ResponseWriter, r *http.Request, u *tongban.User) (*standardsPage, error) {
	p := &standardsPage{catalogBase: w.catalogBase(rw, r, u, "标准材料目录", "standards"), Form: newForm()}
	var err error
	p.List, err = w.Exchange.Standards.List(r.Context())
	return p, err
}

func standardValues(m *tongban.StandardMaterial) map[string]string {
	v := map[string]string{"code": m.Code, "name": m.Name, "category": m.Category, "issuer": m.Issuer,
		"aliases": strings.Join(m.Aliases, "、"), "valid_months": strconv.Itoa(m.ValidMonths),
		"license_type": m.LicenseType, "note": m.Note}
	if m.Reusable {
		v["reusable"] = "1"
	}
	if m.Retired {
		v["retired"] = "1"
	}
	return v
}

func (w *Web) standardsSave(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogPublish)
	if err != nil {
		return err
	}
	v := map[string]string{}
	for _, k := range []string{"code", "name", "category", "issuer", "aliases", "valid_months", "license_type", "note", "reusable", "retired", "editing"} {
		v[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	m := tongban.StandardMaterial{Code: v["code"], Name: v["name"], Category: v["category"], Issuer: v["issuer"],
		Aliases:  strings.FieldsFunc(v["aliases"], func(r rune) bool { return strings.ContainsRune("、,，;；\n", r) }),
		Reusable: v["reusable"] != "", Retired: v["retired"] != "", LicenseType: v["license_type"], Note: v["note"]}
	months, convErr := strconv.Atoi(orZero(v["valid_months"]))
	m.ValidMonths = months
	if convErr == nil {
		_, err = w.Exchange.Standards.Save(r.Context(), w.request(r), m)
	} else {
		err = tongban.FieldError("valid_months", "复用有效期应为整数（月）")
	}
	if err != nil {
		if !catalogUserError(err) {
			return err
		}
		p, perr := w.newStandardsPage(rw, r, u)
		if perr != nil {
			return perr
		}
		p.Editing, p.Form.Values = v["editing"] != "", v
		p.Form.fail(err)
		return w.render(rw, r, http.StatusBadRequest, "exchange_standards", p)
	}
	w.redirectFlash(rw, r, "/console/catalog/standards", "标准材料已保存")
	return nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

var standardFields = []field{{Name: "code", Label: "标准材料编码"}, {Name: "name", Label: "标准材料名称"},
	{Name: "category", Label: "类别"}, {Name: "issuer", Label: "核发机关"}, {Name: "aliases", Label: "别名（以、分隔）"},
	{Name: "valid_months", Label: "复用有效期（月，0 = 按证件有效期或系统默认）"}, {Name: "license_type", Label: "对应证照类型代码"},
	{Name: "note", Label: "说明"}}
