package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
)

// maxLicenceUpload bounds a 历史导入 CSV upload (1000 rows).
const maxLicenceUpload = 2 << 20

// licencesPage is 电子证照管理 for the issuing department's admin: its
// seal key and rotation, 历史导入 by CSV, and its licences with 注销.
type licencesPage struct {
	Base
	Org      *tongban.Org
	Key      *tongban.SealKey // current; nil before the first licence
	Licences []licenceRow
	Problem  string // a refused action's message
}

type licenceRow struct {
	Identifier, Type, Number, Holder, Status, Source, Issued, ValidTo string
	Valid                                                             bool
}

// consoleLicences shows the page; ?org= picks the org for an admin of several.
func (w *Web) consoleLicences(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.licencesPage(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "licenses_console", p)
}

func (w *Web) licencesOrg(r *http.Request) (*tongban.Org, error) {
	u, err := w.staff(r, identity.PermLicenseManage)
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.FormValue("org"), 10, 64)
	if id == 0 {
		if id, err = license.ManagedOrg(u); err != nil {
			return nil, err
		}
	}
	if err := (identity.Authorizer{Orgs: w.Store}).RequireOrg(r.Context(), u, identity.PermLicenseManage, id); err != nil {
		return nil, err
	}
	return w.Store.Org(r.Context(), id)
}

func (w *Web) licencesPage(rw http.ResponseWriter, r *http.Request) (*licencesPage, error) {
	org, err := w.licencesOrg(r)
	if err != nil {
		return nil, err
	}
	p := &licencesPage{Base: w.base(rw, r, "电子证照管理"), Org: org}
	if k, err := w.Store.SealKeyOf(r.Context(), org.ID); err == nil {
		p.Key = k
	} else if !tongban.IsCode(err, tongban.ENotFound) {
		return nil, err
	}
	ls, err := w.Store.LicensesOfIssuer(r.Context(), org.ID, 100)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		holder := l.HolderName
		if l.HolderKind == tongban.HolderPerson {
			holder = tongban.MaskName(l.HolderName) + " " + l.HolderCodeMasked
		}
		row := licenceRow{Identifier: l.Identifier, Type: l.TypeName, Number: l.Number, Holder: holder,
			Status: p.Lang.T(l.Status.Label()), Source: p.Lang.T(l.Source.Label()), Issued: l.IssuedOn.Format("2006-01-02"),
			ValidTo: p.Lang.T("长期"), Valid: l.Status == tongban.LicenseValid}
		if !l.ValidTo.IsZero() {
			row.ValidTo = l.ValidTo.Format("2006-01-02")
		}
		if l.Status == tongban.LicenseValid && l.Expired(w.Identity.Clock.Now()) {
			row.Status = p.Lang.T("已过期")
		}
		p.Licences = append(p.Licences, row)
	}
	return p, nil
}

// licencesAction takes 注销, 历史导入 or 轮换 from the page (变更 from its own
// form); a refusal comes
// back on the page with its message (every bad row of an import named).
func (w *Web) licencesAction(rw http.ResponseWriter, r *http.Request) error {
	if r.PathValue("action") == "change" {
		return w.licenceChangeSubmit(rw, r)
	}
	org, err := w.licencesOrg(r)
	if err != nil {
		return err
	}
	svc := &license.Service{Store: w.Store, Clock: w.Identity.Clock}
	req := w.request(r)
	var flash string
	switch r.PathValue("action") {
	case "revoke":
		var l *tongban.License
		if l, err = svc.Revoke(r.Context(), req, r.FormValue("identifier"), r.FormValue("reason")); err == nil {
			flash = fmt.Sprintf("已注销%s %s。", l.TypeName, l.Number)
		}
	case "rotate":
		var k *tongban.SealKey
		if k, err = svc.RotateSealKey(r.Context(), req, org.ID); err == nil {
			flash = "电子印章密钥已轮换，新密钥 " + k.ID + "；旧密钥继续公布，用于核验已签发的证照。"
		}
	case "import":
		file, _, ferr := r.FormFile("file")
		if ferr != nil {
			err = tongban.FieldError("file", "请选择要导入的 CSV 文件")
			break
		}
		defer file.Close()
		var rows []license.ImportRow
		if rows, err = license.ParseImportCSV(file); err == nil {
			var res *license.ImportResult
			if res, err = svc.Import(r.Context(), req, org.ID, rows); err == nil {
				flash = fmt.Sprintf("已导入 %d 张历史证照，均以本部门电子印章签名。", res.Imported)
			}
		}
	default:
		return tongban.Errorf(tongban.ENotFound, "页面不存在")
	}
	back := "/console/licenses?org=" + strconv.FormatInt(org.ID, 10)
	if err == nil {
		w.redirectFlash(rw, r, back, flash)
		return nil
	}
	if !userError(err) {
		return err
	}
	p, perr := w.licencesPage(rw, r)
	if perr != nil {
		return perr
	}
	p.Problem = strings.TrimSpace(tongban.AsError(err).Message)
	return w.render(rw, r, http.StatusBadRequest, "licenses_console", p)
}
