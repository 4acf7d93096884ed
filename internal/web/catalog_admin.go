package web

import (
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
)

// The catalog admin pages (事项管理员, 部门管理员): the listings one may
// edit with their quality, claiming items, editing in the import layout,
// publishing through the quality gate, history, the 清单质检 and 三统一
// reports, file import/export and the search synonyms. Every rule is the
// catalog service's; these pages only show what it decides.

// catalogPages share the partials in catalog_parts.html.
var catalogPages = []string{"catalog_list", "catalog_claim", "catalog_edit", "catalog_history", "catalog_quality",
	"catalog_consistency", "catalog_import", "catalog_synonyms", "catalog_proposals"}

func (w *Web) registerCatalogAdmin(mux *http.ServeMux) {
	for _, page := range catalogPages {
		w.pages[page] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/catalog_parts.html", "templates/"+page+".html"))
	}
	delete(w.pages, "catalog_parts")
	mux.HandleFunc("GET /console/catalog", w.handle(w.catalogList))
	mux.HandleFunc("GET /console/catalog/claim", w.handle(w.catalogClaimPage))
	mux.HandleFunc("POST /console/catalog/claim", w.handle(w.catalogClaim))
	mux.HandleFunc("GET /console/catalog/listings/{id}", w.handle(w.catalogEditPage))
	mux.HandleFunc("POST /console/catalog/listings/{id}", w.catalogLimit(catalogMaxForm, w.handle(w.catalogSave)))
	mux.HandleFunc("POST /console/catalog/listings/{id}/{action}", w.handle(w.catalogStatus))
	mux.HandleFunc("GET /console/catalog/listings/{id}/history", w.handle(w.catalogHistory))
	mux.HandleFunc("GET /console/catalog/proposals", w.handle(w.catalogProposals))
	mux.HandleFunc("GET /console/catalog/quality", w.handle(w.catalogQuality))
	mux.HandleFunc("GET /console/catalog/consistency", w.handle(w.catalogConsistency))
	mux.HandleFunc("GET /console/catalog/import", w.handle(w.catalogImportPage))
	mux.HandleFunc("POST /console/catalog/import", w.catalogLimit(catalogMaxUpload, w.handle(w.catalogImport)))
	mux.HandleFunc("GET /console/catalog/export", w.handle(w.catalogExport))
	mux.HandleFunc("GET /console/catalog/synonyms", w.handle(w.catalogSynonymsPage))
	mux.HandleFunc("POST /console/catalog/synonyms", w.catalogLimit(catalogMaxForm, w.handle(w.catalogSynonymsSave)))
}

// Body limits: a listing form or synonym list, and an uploaded catalog file.
const (
	catalogMaxForm   = 1 << 20
	catalogMaxUpload = 32 << 20
)

// catalogLimit refuses oversized posts before the CSRF check parses them.
func (w *Web) catalogLimit(max int64, h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			w.renderError(rw, r, tongban.FieldError("file", "提交的内容不能超过 %d MB", max>>20))
			return
		}
		r.Body = http.MaxBytesReader(rw, r.Body, max)
		h(rw, r)
	}
}

// catalogStaff requires a signed-in staff member holding perm.
func (w *Web) catalogStaff(r *http.Request, perm identity.Permission) (*tongban.User, error) {
	u, err := w.signedIn(r)
	if err != nil {
		return nil, err
	}
	return u, w.Identity.Require(u, perm)
}

// catalogBase is what every catalog page shows: the tabs, and which of them
// the member may use.
type catalogBase struct {
	Base
	Tab        string
	CanPublish bool
	Review     bool // the publication review is on (two people publish)
}

func (w *Web) catalogBase(rw http.ResponseWriter, r *http.Request, u *tongban.User, title, tab string) catalogBase {
	return catalogBase{Base: w.base(rw, r, title), Tab: tab, CanPublish: w.Identity.Can(u, identity.PermCatalogPublish),
		Review: w.Catalog.Review}
}

type catalogListPage struct {
	catalogBase
	Q, Status string
	Statuses  []tongban.ListingStatus
	Rows      []catalogRow
	Total     int
	Page      int
	PrevURL   template.URL
	NextURL   template.URL
}

type catalogRow struct {
	*tongban.Listing
	Region   string
	Errors   int
	Warnings int
}

const catalogPerPage = 50

// catalogList lists the listings the member may edit, with their status
// and what the quality check says about each.
func (w *Web) catalogList(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := r.URL.Query()
	p := catalogListPage{catalogBase: w.catalogBase(rw, r, u, "事项清单管理", "list"), Q: strings.TrimSpace(v.Get("q")),
		Status: v.Get("status"), Page: 1,
		Statuses: []tongban.ListingStatus{tongban.ListingDraft, tongban.ListingPublished, tongban.ListingSuspended, tongban.ListingWithdrawn}}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		p.Page = n
	}
	f := tongban.ListingFilter{Q: p.Q, Limit: 10000}
	if p.Status != "" {
		st, ok := tongban.ParseListingStatus(p.Status)
		if !ok {
			return tongban.FieldError("status", "状态无效：%s", p.Status)
		}
		f.Status = st
	}
	ls, err := w.editableListings(ctx, u, f)
	if err != nil {
		return err
	}
	p.Total = len(ls)
	names, err := w.regionNames(ctx)
	if err != nil {
		return err
	}
	items := map[int64]*tongban.Item{}
	from := (p.Page - 1) * catalogPerPage
	for i := from; i < len(ls) && i < from+catalogPerPage; i++ {
		l := ls[i]
		it, err := w.catalogItem(ctx, items, l.ItemID)
		if err != nil {
			return err
		}
		row := catalogRow{Listing: l, Region: regionName(names, l.RegionCode)}
		for _, is := range catalog.Check(*it, *l).Issues {
			if is.Severity == catalog.SeverityError {
				row.Errors++
			} else {
				row.Warnings++
			}
		}
		p.Rows = append(p.Rows, row)
	}
	link := func(page int) template.URL {
		q := v
		q.Set("page", strconv.Itoa(page))
		return template.URL("/console/catalog?" + q.Encode())
	}
	if p.Page > 1 {
		p.PrevURL = link(p.Page - 1)
	}
	if from+catalogPerPage < len(ls) {
		p.NextURL = link(p.Page + 1)
	}
	return w.render(rw, r, http.StatusOK, "catalog_list", p)
}

// editableListings returns the listings in u's edit scope matching f,
// ordered by region, org and id: one store query per region or org of the
// scope, so nobody reads listings they may not edit.
func (w *Web) editableListings(ctx context.Context, u *tongban.User, f tongban.ListingFilter) ([]*tongban.Listing, error) {
	sc, err := w.Identity.Authorizer.Scope(ctx, u, identity.PermCatalogEdit)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []*tongban.Listing
	add := func(f tongban.ListingFilter) error {
		ls, err := w.Store.Listings(ctx, f)
		for _, l := range ls {
			if !seen[l.ID] {
				seen[l.ID] = true
				out = append(out, l)
			}
		}
		return err
	}
	for _, reg := range sc.Regions {
		g := f
		g.Region = reg
		if err := add(g); err != nil {
			return nil, err
		}
	}
	for _, id := range sc.OrgIDs {
		g := f
		g.OrgID = id
		if err := add(g); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b *tongban.Listing) int {
		if c := strings.Compare(a.RegionCode, b.RegionCode); c != 0 {
			return c
		}
		if a.OrgID != b.OrgID {
			return int(a.OrgID - b.OrgID)
		}
		return int(a.ID - b.ID)
	})
	return out, nil
}

func (w *Web) catalogItem(ctx context.Context, cache map[int64]*tongban.Item, id int64) (*tongban.Item, error) {
	if it, ok := cache[id]; ok {
		return it, nil
	}
	it, err := w.Store.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	cache[id] = it
	return it, nil
}

func (w *Web) regionNames(ctx context.Context) (map[string]string, error) {
	regions, err := w.Store.Regions(ctx, "")
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(regions))
	for _, reg := range regions {
		names[reg.Code] = reg.Name
	}
	return names, nil
}

// catalogUserError reports whether err is the member's to fix (shown on the
// form) rather than the system's (an error page).
func catalogUserError(err error) bool {
	switch tongban.ErrorCodeOf(err) {
	case tongban.EInvalid, tongban.EConflict, tongban.ENotFound:
		return true
	}
	return false
}
