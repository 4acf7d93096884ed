package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/workflow"
)

// progressPage is 办件查询: anyone with a case number and the applicant's
// name (or the last six characters of their ID number or credit code)
// sees where the case is, without signing in. The QR codes on notices
// lead here with the number filled in.
type progressPage struct {
	Base
	Number string
	Form   form
	P      *workflow.Progress
}

func (w *Web) registerProgress(mux *http.ServeMux) {
	mux.HandleFunc("GET /progress", w.handle(w.progressForm))
	mux.HandleFunc("POST /progress", w.handle(w.progressLookup))
}

func (w *Web) progressForm(rw http.ResponseWriter, r *http.Request) error {
	p := &progressPage{Base: w.base(rw, r, "办件查询"), Number: r.URL.Query().Get("number"), Form: newForm()}
	return w.render(rw, r, http.StatusOK, "progress", p)
}

// progressLookup takes the name by POST, so it stays out of addresses and
// their logs.
func (w *Web) progressLookup(rw http.ResponseWriter, r *http.Request) error {
	p := &progressPage{Base: w.base(rw, r, "办件查询"), Number: r.FormValue("number"), Form: newForm()}
	res, err := w.Workflow.Progress(r.Context(), httpx.ClientIP(r, w.Proxies), p.Number, r.FormValue("name"))
	switch code := tongban.ErrorCodeOf(err); {
	case err == nil:
		p.P = res
	case code == tongban.ENotFound || code == tongban.ETooManyTries:
		p.Form.Error = tongban.AsError(err).Message
		return w.render(rw, r, tongban.HTTPStatus(err), "progress", p)
	default:
		return err
	}
	return w.render(rw, r, http.StatusOK, "progress", p)
}
