package web

import (
	"context"
	"html/template"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/workflow"
)

// casePages are the case pages; they share the partials in cases_parts.html
// (the clock badge, the materials and the history), so they are parsed
// again with it on top of what New parsed.
var casePages = []string{"cases_apply", "cases_mine", "cases_status", "cases_counter",
	"cases_console", "cases_queue", "cases_handout", "supervision", "notices"}

// registerCases mounts the case pages: the applicant's (apply, my cases,
// status, notices) and the staff console's (counter, case review, queue,
// handout, supervision).
func (w *Web) registerCases(mux *http.ServeMux) {
	for _, page := range casePages {
		w.pages[page] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/cases_parts.html", "templates/exchange_parts.html", "templates/"+page+".html"))
	}
	delete(w.pages, "cases_parts") // partials only, not a page
	delete(w.pages, "exchange_parts")

	upload := func(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
		return w.limitUpload(w.handle(h))
	}
	// Applicant.
	mux.HandleFunc("GET /apply/{listing}", w.handle(w.applyPage))
	mux.HandleFunc("POST /apply/{listing}", upload(w.applySubmit))
	mux.HandleFunc("GET /cases", w.handle(w.myCases))
	mux.HandleFunc("GET /cases/{number}", w.handle(w.caseStatus))
	mux.HandleFunc("POST /cases/{number}/supplement", upload(w.caseSupplement))
	mux.HandleFunc("POST /cases/{number}/owed", upload(w.caseProvideOwed))
	mux.HandleFunc("POST /cases/{number}/withdraw", w.handle(w.caseWithdraw))
	mux.HandleFunc("POST /cases/{number}/rating", w.handle(w.caseRate))
	mux.HandleFunc("POST /cases/{number}/ratings/{encounter}/verdict", w.handle(w.caseJudge))
	mux.HandleFunc("GET /cases/{number}/rating-qr.png", w.handle(w.caseRatingQR))
	mux.HandleFunc("GET /cases/{number}/visits/{event}/rating-qr.png", w.handle(w.visitRatingQR))
	mux.HandleFunc("GET /cases/{number}/materials/{key}", w.handle(w.caseMaterialFile))
	// Notices, for whoever may see the case.
	mux.HandleFunc("GET /cases/{number}/qr.png", w.handle(w.caseQR))
	mux.HandleFunc("GET /cases/{number}/notices/{kind}", w.handle(w.caseNotice))
	// Staff.
	mux.HandleFunc("GET /console/counter", w.handle(w.counter))
	mux.HandleFunc("POST /console/counter/reveal", w.handle(w.counterReveal))
	mux.HandleFunc("POST /console/counter/walkin", w.handle(w.counterWalkIn))
	mux.HandleFunc("POST /console/counter/reset-link", w.handle(w.counterResetLink))
	mux.HandleFunc("GET /console/counter/apply/{listing}", w.handle(w.counterApplyPage))
	mux.HandleFunc("POST /console/counter/apply/{listing}", upload(w.counterApplySubmit))
	mux.HandleFunc("GET /console/cases/{number}", w.handle(w.consoleCase))
	mux.HandleFunc("POST /console/cases/{number}/{action}", w.handle(w.consoleCaseAction))
	mux.HandleFunc("GET /console/queue", w.handle(w.queue))
	mux.HandleFunc("GET /console/handout", w.handle(w.handout))
	mux.HandleFunc("POST /console/handout/{number}", w.handle(w.handoutDeliver))
	mux.HandleFunc("GET /console/supervision", w.handle(w.supervision))
}

// wf is the workflow request of the signed-in person.
func (w *Web) wf(r *http.Request) workflow.Request {
	return workflow.Request{Actor: httpx.User(r.Context()), IP: httpx.ClientIP(r, w.Proxies)}
}

// caseOf reads the case named in the path; the workflow decides who may.
func (w *Web) caseOf(r *http.Request) (*tongban.Case, error) {
	if _, err := w.signedIn(r); err != nil {
		return nil, err
	}
	return w.Workflow.ByNumber(r.Context(), w.wf(r), r.PathValue("number"))
}

// caseWithEventsOf is caseOf with the case's events, read in the same
// statement: for the pages that show its history.
func (w *Web) caseWithEventsOf(r *http.Request) (*tongban.Case, error) {
	if _, err := w.signedIn(r); err != nil {
		return nil, err
	}
	return w.Workflow.ByNumberWithEvents(r.Context(), w.wf(r), r.PathValue("number"))
}

// staff requires a signed-in staff member holding perm.
func (w *Web) staff(r *http.Request, perm identity.Permission) (*tongban.User, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	return u, w.Identity.Require(u, perm)
}

// listingOf is the listing version a case applies under.
func (w *Web) listingOf(ctx context.Context, c *tongban.Case) (*tongban.Listing, error) {
	return w.Store.ListingVersion(ctx, c.ListingID, c.ListingVersion)
}

// orgNames caches org names for a page that lists many cases.
type orgNames struct {
	w     *Web
	names map[int64]string
}

func (w *Web) orgNames() *orgNames { return &orgNames{w: w, names: map[int64]string{}} }

func (o *orgNames) name(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := o.names[id]; ok {
		return n
	}
	n := ""
	if org, err := o.w.Store.Org(ctx, id); err == nil {
		n = org.Name
	}
	o.names[id] = n
	return n
}

// fullName names a window or board with its hall: 广安市政务服务中心 统一出件窗口.
func (o *orgNames) fullName(ctx context.Context, id int64) string {
	org, err := o.w.Store.Org(ctx, id)
	if err != nil {
		return ""
	}
	if org.ParentID != 0 {
		if hall := o.name(ctx, org.ParentID); hall != "" {
			return hall + " " + org.Name
		}
	}
	return org.Name
}

// userError reports whether err is the person's to fix (shown on the form)
// rather than a refusal or a fault (shown on the error page).
func userError(err error) bool {
	switch tongban.ErrorCodeOf(err) {
	case tongban.EInvalid, tongban.EConflict:
		return true
	}
	return false
}
