package web

import (
	"html/template"
	"net/http"
)

// exchangeCatalogPages are pages of 只提交一次材料 shown among the catalog
// admin pages; they share the partials in catalog_parts.html.
var exchangeCatalogPages = []string{"exchange_standards", "exchange_sparable", "exchange_resources"}

// registerExchange mounts the pages of 只提交一次材料 (internal/exchange).
func (w *Web) registerExchange(mux *http.ServeMux) {
	for _, page := range exchangeCatalogPages {
		w.pages[page] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/catalog_parts.html", "templates/"+page+".html"))
	}
	mux.HandleFunc("GET /console/catalog/standards", w.handle(w.standardsPage))
	mux.HandleFunc("POST /console/catalog/standards", w.handle(w.standardsSave))
	mux.HandleFunc("GET /console/catalog/sparable", w.handle(w.sparablePage))
	mux.HandleFunc("GET /console/catalog/resources", w.handle(w.resourcesPage))
	mux.HandleFunc("GET /console/measures/no-submit", w.handle(w.noSubmitPage))
	mux.HandleFunc("GET /account/library", w.handle(w.libraryPage))
	mux.HandleFunc("POST /account/library/{id}/delete", w.handle(w.libraryDelete))
	mux.HandleFunc("GET /account/data-uses", w.handle(w.dataUsesPage))
	mux.HandleFunc("GET /account/data-uses.csv", w.handle(w.dataUsesExport("csv")))
	mux.HandleFunc("GET /account/data-uses.xlsx", w.handle(w.dataUsesExport("xlsx")))
	mux.HandleFunc("POST /account/consents/{id}/revoke", w.handle(w.consentRevoke))
}
