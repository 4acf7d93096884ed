package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
)

type catalogImportPage struct {
	catalogBase
	Regions  []*tongban.Region
	Result   *catalog.ImportResult
	Rows     []catalogRowError // a refused file's errors
	Warnings []catalogRowError
	Form     form
	FileName string
}

// catalogRowError is an import error with its column named as the file
// names it.
type catalogRowError struct {
	catalog.RowError
	Header string
}

func rowErrorsOf(es []catalog.RowError) []catalogRowError {
	out := make([]catalogRowError, len(es))
	for i, e := range es {
		out[i] = catalogRowError{RowError: e}
		if e.Column != "" {
			out[i].Header = catalogColumnHeader(e.Column) + "（" + e.Column + "）"
		}
	}
	return out
}

func (w *Web) newCatalogImportPage(rw http.ResponseWriter, r *http.Request, u *tongban.User) (*catalogImportPage, error) {
	p := &catalogImportPage{catalogBase: w.catalogBase(rw, r, u, "导入导出", "files"), Form: newForm()}
	var err error
	p.Regions, err = w.catalogRegions(r)
	return p, err
}

func (w *Web) catalogImportPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	p, err := w.newCatalogImportPage(rw, r, u)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "catalog_import", p)
}

// catalogImport stores an uploaded xlsx or csv through the importer every
// path shares: all rows or none, every error listed by row and column.
func (w *Web) catalogImport(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	p, err := w.newCatalogImportPage(rw, r, u)
	if err != nil {
		return err
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		p.Form.Errors["file"] = "请选择要导入的 xlsx 或 csv 文件"
		return w.render(rw, r, http.StatusBadRequest, "catalog_import", p)
	}
	defer file.Close()
	p.FileName = hdr.Filename
	format := catalog.FormatOf(hdr.Filename)
	if format == "" {
		p.Form.Errors["file"] = "只支持 xlsx 或 csv 文件"
		return w.render(rw, r, http.StatusBadRequest, "catalog_import", p)
	}
	opt := catalog.ImportOptions{CreateMissingOrgs: r.FormValue("create_orgs") != "", Publish: r.FormValue("publish") != "",
		Reason: "上传导入 " + hdr.Filename}
	res, err := w.Catalog.ImportFile(r.Context(), w.request(r), file, format, opt, nil)
	if err != nil {
		var rows catalog.RowErrors
		if errors.As(err, &rows) {
			p.Rows = rowErrorsOf(rows)
			p.Form.Error = tongban.AsError(err).Message
			return w.render(rw, r, http.StatusBadRequest, "catalog_import", p)
		}
		if !catalogUserError(err) && tongban.ErrorCodeOf(err) != tongban.EForbidden {
			return err
		}
		p.Form.Error = tongban.AsError(err).Message
		return w.render(rw, r, tongban.HTTPStatus(err), "catalog_import", p)
	}
	p.Result = res
	p.Warnings = rowErrorsOf(res.Warnings)
	return w.render(rw, r, http.StatusOK, "catalog_import", p)
}

// catalogExport downloads every listing the member may edit (in a region,
// if given) in the import layout, so a round trip through Excel works.
func (w *Web) catalogExport(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.catalogStaff(r, identity.PermCatalogEdit); err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	ctype := "text/csv; charset=utf-8"
	switch format {
	case catalog.FormatXLSX:
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case catalog.FormatCSV, "":
		format = catalog.FormatCSV
	default:
		return tongban.FieldError("format", "只支持 xlsx 或 csv")
	}
	// Buffered, so that a failure is an error page rather than half a file.
	var buf bytes.Buffer
	if _, err := w.Catalog.ExportFile(r.Context(), w.request(r), &buf, format, r.URL.Query().Get("region")); err != nil {
		return err
	}
	name := fmt.Sprintf("listings-%s.%s", w.Identity.Clock.Now().Format(time.DateOnly), format)
	rw.Header().Set("Content-Type", ctype)
	rw.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := rw.Write(buf.Bytes())
	return err
}
