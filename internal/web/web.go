// Package web serves the server-rendered pages for every role: typed page
// structs, html/template, and small progressive enhancements. Pages work
// without JavaScript and on a phone.
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/oidc"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/uploads"
	"github.com/tongban/tongban/internal/workflow"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is what the pages need.
type Deps struct {
	Store    tongban.Store
	Identity *identity.Service
	Auth     *httpx.Authenticator
	CSRF     *httpx.CSRF
	Log      *slog.Logger
	Proxies  httpx.TrustedProxies // reverse proxies whose X-Forwarded-For is believed
	Version  string
	// PublicURL (scheme and host) prefixes every absolute link and QR code.
	PublicURL string
	// Calendar is the working-day schedule in force; CalendarEditor loads notices.
	Calendar       *calendar.Holder
	CalendarEditor *calendar.Editor
	// Workflow runs cases; Blobs keeps uploaded materials.
	Workflow *workflow.Service
	Blobs    *blob.Store
	// Uploads stores an account's uploads within its daily quota.
	Uploads *uploads.Service
	// Catalog keeps the listings; Search finds them, and SearchSync keeps
	// it in step with the database and stores the admins' synonyms.
	Catalog    *catalog.Service
	Search     *search.Index
	SearchSync *search.Syncer
	// Dashboards computes the supervisor's measures; nil computes per request.
	Dashboards *stats.Dashboards
	// PublicRatings keeps the public 成绩单 in memory for a short while;
	// nil computes it per request.
	PublicRatings *stats.PublicCache
	// Exchange is 只提交一次材料: standard materials, the material library,
	// shared data and the data-use record.
	Exchange *exchange.Exchange
	// Integration (docs/integration.md): the OIDC provider, notifications
	// and one-time codes, webhooks. Each may be nil.
	OIDC   *oidc.Provider
	Notify *notify.Service
	Codes  *notify.Codes
	Hooks  *outbox.Hooks
	// Publisher publishes the outbox; nil with it off.
	Publisher *outbox.Publisher
	// Ratings is 好差评: the citizen's rating form and the department's tickets.
	Ratings *rating.Service
	// Bundles runs 一件事: guides, applications and their sub-cases.
	Bundles *bundle.Service
	// ScoreWeights is the city's weighting of the supervisor's 成绩单.
	ScoreWeights stats.Weights
	// CorrectionStallDays: working days a case waits for 补正 before
	// supervision shows it as stalled.
	CorrectionStallDays int
	// LicenseVisits records verify-page visits (queued, written in
	// batches: license.VisitLog); nil writes each visit on its own
	// through Store.
	LicenseVisits license.VisitRecorder
}

// Web serves the pages.
type Web struct {
	Deps
	pages map[string]*template.Template
	// publicBodies keeps the public 成绩单's rendered body per board.
	publicBodies publicBodies
	// verifyFacts keeps the verify page's rendered facts per verification.
	verifyFacts verifyFacts
	// verifyPages keeps whole verify pages of face links for anonymous
	// visitors.
	verifyPages verifyPages
}

// New parses every page template with the layout.
func New(d Deps) (*Web, error) {
	w := &Web{Deps: d, pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return nil, err
		}
		w.pages[base] = t
	}
	return w, nil
}

var funcs = template.FuncMap{
	"t":       func(l Lang, s string) string { return l.T(s) },
	"p":       func(l Lang, mark string) string { return l.P(mark) },
	"fieldOf": fieldOf,
	// local shows a time in China, whatever zone it was stored in.
	"local": func(t time.Time) string { return t.In(calendar.Location()).Format("2006-01-02 15:04:05") },
	// standardFields are the text inputs of the standard material form.
	"standardFields": func() []field { return standardFields },
}

// Register mounts the pages on mux.
func (w *Web) Register(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	// Browsers ask for /favicon.ico whatever the page links.
	mux.Handle("GET /favicon.ico", http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently))
	mux.HandleFunc("GET /{$}", w.handle(w.home))
	mux.HandleFunc("GET /login", w.handle(w.loginPage))
	mux.HandleFunc("POST /login", w.handle(w.loginSubmit))
	mux.HandleFunc("POST /logout", w.handle(w.logout))
	mux.HandleFunc("GET /register", w.handle(w.registerPage))
	mux.HandleFunc("POST /register", w.handle(w.registerSubmit))
	mux.HandleFunc("GET /account", w.handle(w.account))
	mux.HandleFunc("POST /account/password", w.handle(w.changePassword))
	mux.HandleFunc("GET /console", w.handle(w.console))
	w.registerConsoleStaff(mux)
	mux.HandleFunc("GET /console/audit", w.handle(w.consoleAudit))
	mux.HandleFunc("GET /console/calendar", w.handle(w.consoleCalendar))
	mux.HandleFunc("POST /console/calendar", w.limitBody(maxCalendarUpload, w.handle(w.calendarUpload)))
	mux.HandleFunc("GET /console/calendar/{file}", w.handle(w.calendarExport))
	mux.HandleFunc("GET /console/licenses", w.handle(w.consoleLicences))
	mux.HandleFunc("GET /console/licenses/change", w.handle(w.licenceChangeForm))
	mux.HandleFunc("POST /console/licenses/{action}", w.limitBody(maxLicenceUpload, w.handle(w.licencesAction)))
	w.registerCases(mux)
	w.registerSupervisionAlerts()
	w.registerSupervisionLoop()
	w.registerProgress(mux)
	w.registerPublicRatings(mux)
	w.registerRatingLinks(mux)
	mux.HandleFunc("GET /forgot", w.handle(w.forgot))
	mux.HandleFunc("GET /reset", w.handle(w.resetPage))
	mux.HandleFunc("POST /reset", w.handle(w.resetSubmit))
	mux.HandleFunc("GET /agreements/{doc}", w.handle(w.agreement))
	mux.HandleFunc("GET /lang/{lang}", w.setLang)
	w.registerGuide(mux)
	w.registerBundles(mux)
	w.registerCatalogAdmin(mux)
	w.registerMeasures(mux)
	w.registerScorecard(mux)
	w.registerWindowDevices(mux)
	w.registerExchange(mux)
	w.registerIntegration(mux)
	w.registerLicenses(mux)
	w.registerConsoleRectifications(mux)
	w.registerConsoleNotices(mux)
	w.registerComplaints(mux)
	mux.HandleFunc("/", w.handle(func(rw http.ResponseWriter, r *http.Request) error {
		return tongban.Errorf(tongban.ENotFound, "页面不存在")
	}))
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// handle turns a handler's error into an error page, and checks the CSRF
// token of every form post before the handler runs.
func (w *Web) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		err := w.CSRF.Check(r)
		if err == nil {
			err = httpx.CheckForm(r) // parsed by the CSRF check of a post
		}
		if err == nil {
			err = h(rw, r)
		}
		if err != nil {
			w.renderError(rw, r, err)
		}
	}
}

// Base is what every page shows around its content.
type Base struct {
	Lang  Lang
	Title string
	User  *tongban.User
	Flash string
	Path  string
	csrf  *pageToken
}

// CSRF is the visitor's CSRF token, minted with its cookie the first
// time the page uses it: a page with no form (the verify page a QR code
// opens, the catalog, search) sets no cookie and spends no HMAC.
func (b Base) CSRF() string {
	if b.csrf == nil {
		return ""
	}
	return b.csrf.get()
}

// pageToken is a page's CSRF token, made on first use. A page is
// rendered by one goroutine, so it needs no lock.
type pageToken struct {
	mint func() string
	v    string
}

func (t *pageToken) get() string {
	if t.mint != nil {
		t.v, t.mint = t.mint(), nil
	}
	return t.v
}

func (w *Web) base(rw http.ResponseWriter, r *http.Request, title string) Base {
	l := langOf(r)
	return Base{Lang: l, Title: l.T(title), User: httpx.User(r.Context()),
		csrf:  &pageToken{mint: func() string { return w.CSRF.Token(rw, r) }},
		Flash: l.T(w.flash().Take(rw, r)), Path: r.URL.Path}
}

// flash carries a message across a redirect in a signed cookie, never in
// the URL (httpx.Flash).
func (w *Web) flash() httpx.Flash { return httpx.Flash{Key: w.CSRF.Key, Secure: w.Auth.Secure} }

// redirectFlash sends the browser to path with a message to show there.
func (w *Web) redirectFlash(rw http.ResponseWriter, r *http.Request, path, msg string) {
	w.flash().Set(rw, msg)
	http.Redirect(rw, r, path, http.StatusSeeOther)
}

// render writes a page; it renders to a buffer first so a template error
// becomes a clean 500 rather than half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	t, ok := w.pages[page]
	if !ok {
		return tongban.Errorf(tongban.EInternal, "no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return tongban.Wrap(tongban.EInternal, err, "render %s", page)
	}
	writePageHeader(rw, status, buf.Len())
	_, err := rw.Write(buf.Bytes())
	return err
}

// writePageHeader sends a rendered page's headers: its type, the pages'
// content security policy, and its length, so the body goes in one
// piece, never chunked.
func writePageHeader(rw http.ResponseWriter, status, length int) {
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'")
	h.Set("Content-Length", strconv.Itoa(length))
	rw.WriteHeader(status)
}

type errorPage struct {
	Base
	Status  int
	Message string
}

// ErrorHandler shows err as an error page; for middleware.
func (w *Web) ErrorHandler(rw http.ResponseWriter, r *http.Request, err error) {
	w.renderError(rw, r, err)
}

func (w *Web) renderError(rw http.ResponseWriter, r *http.Request, err error) {
	e := tongban.AsError(err)
	status := tongban.HTTPStatus(e)
	if e.Code == tongban.EUnauthorized && r.Method == http.MethodGet {
		http.Redirect(rw, r, "/login?next="+templateEscapeQuery(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	msg := e.Message
	if e.RetryAfter > 0 {
		rw.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
	if e.Code == tongban.EInternal {
		w.Log.Error("page error", "path", r.URL.Path, "err", err)
		msg = "内部错误，请稍后再试"
	}
	p := errorPage{Base: w.base(rw, r, "出错了"), Status: status, Message: msg}
	if rerr := w.render(rw, r, status, "error", p); rerr != nil {
		w.Log.Error("render error page", "err", rerr)
		http.Error(rw, msg, status)
	}
}

func templateEscapeQuery(s string) string { return template.URLQueryEscaper(s) }

func (w *Web) setLang(rw http.ResponseWriter, r *http.Request) {
	l := parseLang(r.PathValue("lang"))
	http.SetCookie(rw, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: w.Auth.Secure})
	back := httpx.LocalReferer(r.Referer(), w.PublicURL)
	if back == "" {
		back = "/"
	}
	http.Redirect(rw, r, back, http.StatusSeeOther)
}

func (w *Web) request(r *http.Request) identity.Request {
	return identity.Request{Actor: httpx.User(r.Context()), IP: httpx.ClientIP(r, w.Proxies)}
}

// field is one labelled input with its value and error, for form templates.
type field struct {
	Lang                            Lang
	Name, Label, Type, Autocomplete string
	Value, Error                    string
}

func fieldOf(p registerPage, name, label, typ, autocomplete string) field {
	return field{Lang: p.Lang, Name: name, Label: label, Type: typ, Autocomplete: autocomplete,
		Value: p.Form.Values[name], Error: p.Form.Errors[name]}
}
