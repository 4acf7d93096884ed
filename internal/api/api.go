// Package api serves the JSON API under /api/v1. Every route is declared once
// in a table that both registers it on the mux and describes it in the
// OpenAPI document, so the two cannot drift apart.
package api

import (
	"log/slog"
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/blob"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/oidc"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/search"
	"github.com/tongban/tongban/internal/stats"
	"github.com/tongban/tongban/internal/uploads"
	"github.com/tongban/tongban/internal/workflow"
)

// Deps is what the API needs.
type Deps struct {
	Store     tongban.Store
	Identity  *identity.Service
	Directory *directory.Service
	Auth      *httpx.Authenticator
	CSRF      *httpx.CSRF
	Log       *slog.Logger
	Proxies   httpx.TrustedProxies // reverse proxies whose X-Forwarded-For is believed
	Version   string
	// PublicURL (scheme and host) prefixes every absolute link and QR code.
	PublicURL string
	Catalog   *catalog.Service
	// Calendar is the working-day schedule in force; CalendarEditor loads notices.
	Calendar       *calendar.Holder
	CalendarEditor *calendar.Editor
	// Workflow runs cases; Blobs keeps uploaded materials.
	Workflow *workflow.Service
	Blobs    *blob.Store
	// Search is the listing index, kept in step with the catalog.
	Search *search.Index
	// Dashboards computes the supervisor's measures; nil computes per request.
	Dashboards *stats.Dashboards
	// PublicRatings keeps the public 成绩单 in memory for a short while;
	// nil computes it per request.
	PublicRatings *stats.PublicCache
	// Exchange is 只提交一次材料: standard materials, the material library,
	// shared data and the data-use record.
	Exchange *exchange.Exchange
	// Audit holds the audit chain against its signed checkpoints.
	Audit *audit.Anchor
	// Uploads stores an account's uploads within its daily quota.
	Uploads *uploads.Service
	// Integration (docs/integration.md): the OIDC provider, notifications
	// and one-time codes, webhooks. Each may be nil.
	OIDC   *oidc.Provider
	Notify *notify.Service
	Codes  *notify.Codes
	Hooks  *outbox.Hooks
	// Publisher publishes the outbox; nil with it off.
	Publisher *outbox.Publisher
	// Ratings is 好差评: ratings and their 整改 tickets.
	Ratings *rating.Service
	// ScoreWeights is the city's weighting of the supervisor's 成绩单.
	ScoreWeights stats.Weights
	// Bundles is 一件事: bundle definitions and applications.
	Bundles *bundle.Service
}

// API is the JSON API.
type API struct {
	Deps
	routes []Route
}

// access says who may call a route before its own checks run.
type access int

const (
	public    access = iota // anyone
	signedIn                // any signed-in account
	staffOnly               // staff accounts
)

// Route is one operation: how to reach it, what it takes and returns, and
// its handler. In and Out are zero values of the body types, for the schema.
type Route struct {
	Method, Path, Summary, Tag string
	Access                     access
	Query                      []Param
	In, Out                    any
	Status                     int // success status; 200 if zero
	// Limit bounds the request body before anything reads it (the CSRF
	// check may parse a form); 0 leaves it to the handler.
	Limit int64
	// Consumes lists non-JSON request media types (multipart/form-data: a
	// file field); Produces is the media type of a non-JSON success body.
	Consumes []string
	Produces string
	// FormFields names a multipart request's fields besides file.
	FormFields []string
	// Responses documents other answers: see Response. ErrorOut is the body
	// of the route's errors when it is not the common errorBody.
	Responses []Response
	ErrorOut  any
	handle    func(w http.ResponseWriter, r *http.Request) error
}

// Param is a documented query parameter.
type Param struct {
	Name, Description string
	Required          bool
}

// New builds the API and its route table.
func New(d Deps) *API {
	a := &API{Deps: d}
	a.authRoutes()
	a.regionRoutes()
	a.userRoutes()
	a.auditRoutes()
	a.catalogRoutes()
	a.catalogReviewRoutes()
	a.calendarRoutes()
	a.caseRoutes()
	a.progressRoutes()
	a.searchRoutes()
	a.statsRoutes()
	a.integrationRoutes()
	a.exchangeRoutes()
	a.ratingRoutes()
	a.ratingVerdictRoutes()
	a.publicRatingRoutes()
	a.ratingStatsRoutes()
	a.scoreRoutes()
	a.appealRoutes()
	a.supervisionNoticeRoutes()
	a.complaintRoutes()
	a.licenseRoutes()
	a.bundleRoutes()
	a.licenseLifeRoutes()
	a.licenseWalletRoutes()
	a.add(Route{Method: "GET", Path: "/api/v1/openapi.json", Summary: "本接口的 OpenAPI 3.1 描述", Tag: "meta",
		Out: map[string]any{}, handle: a.serveOpenAPI})
	return a
}

func (a *API) add(r Route) { a.routes = append(a.routes, r) }

// Routes returns the route table.
func (a *API) Routes() []Route { return a.routes }

// Register mounts every route on mux, wrapped with access checks, CSRF and
// error handling.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range a.routes {
		mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	// Anything else under /api/ answers in the API's error shape, not HTML.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.writeError(w, r, tongban.Errorf(tongban.ENotFound, "接口 %s %s 不存在", r.Method, r.URL.Path))
	})
}

func (a *API) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := httpx.User(r.Context())
		if rt.Limit > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, rt.Limit)
		}
		var err error
		switch {
		case rt.Access != public && u == nil:
			err = tongban.Errorf(tongban.EUnauthorized, "请先登录")
		case rt.Access == staffOnly && u.Kind != tongban.UserStaff:
			err = tongban.Errorf(tongban.EForbidden, "仅限工作人员")
		case u != nil:
			err = a.CSRF.Check(r)
		}
		if err == nil {
			err = httpx.CheckForm(r) // a form the CSRF check parsed
		}
		if err == nil {
			err = rt.handle(w, r)
		}
		if err != nil {
			a.writeError(w, r, err)
		}
	})
}

// ErrorHandler writes err in the API's error shape; for middleware.
func (a *API) ErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	a.writeError(w, r, err)
}

func (a *API) request(r *http.Request) identity.Request {
	return identity.Request{Actor: httpx.User(r.Context()), IP: httpx.ClientIP(r, a.Proxies)}
}
