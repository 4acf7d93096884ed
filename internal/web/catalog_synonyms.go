package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/search"
)

type catalogSynonymsPage struct {
	catalogBase
	Saved   *search.SavedSynonyms
	SavedBy string
	Rules   int
	Form    form
	Try     string
	Tried   []searchResult
}

// catalogSynonymsPage shows the search synonyms in force (what citizens
// type → what the catalog says) for catalog admins to edit, and a box to
// try a query against them.
func (w *Web) catalogSynonymsPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogPublish)
	if err != nil {
		return err
	}
	p, err := w.newCatalogSynonymsPage(rw, r, u)
	if err != nil {
		return err
	}
	p.Form.Values["synonyms"] = p.Saved.Text
	return w.render(rw, r, http.StatusOK, "catalog_synonyms", p)
}

func (w *Web) newCatalogSynonymsPage(rw http.ResponseWriter, r *http.Request, u *tongban.User) (*catalogSynonymsPage, error) {
	ctx := r.Context()
	p := &catalogSynonymsPage{catalogBase: w.catalogBase(rw, r, u, "搜索同义词", "synonyms"), Form: newForm(),
		Try: strings.TrimSpace(r.URL.Query().Get("try"))}
	var err error
	if p.Saved, err = w.SearchSync.Synonyms(ctx); err != nil {
		return nil, err
	}
	if p.Saved.SavedBy != 0 {
		if who, err := w.Store.User(ctx, p.Saved.SavedBy); err == nil {
			p.SavedBy = who.Name
		}
	}
	p.Rules = len(w.Search.Synonyms())
	if p.Try != "" {
		names, err := w.regionNames(ctx)
		if err != nil {
			return nil, err
		}
		groups, _, err := w.Search.SearchItems(search.Query{Text: p.Try}, "")
		if err != nil && tongban.ErrorCodeOf(err) != tongban.EInvalid {
			return nil, err
		}
		for i := 0; i < len(groups) && i < 5; i++ {
			p.Tried = append(p.Tried, resultOf(groups[i], names))
		}
	}
	return p, nil
}

// catalogSynonymsSave checks and saves the list; a line that does not
// parse is reported and nothing changes. "恢复默认" saves the shipped list.
func (w *Web) catalogSynonymsSave(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogPublish)
	if err != nil {
		return err
	}
	text := strings.ReplaceAll(r.PostFormValue("synonyms"), "\r\n", "\n")
	if r.PostFormValue("reset") != "" {
		text = search.DefaultSynonymsText()
	}
	if err := w.SearchSync.SaveSynonyms(r.Context(), w.request(r), text); err != nil {
		if tongban.ErrorCodeOf(err) != tongban.EInvalid {
			return err
		}
		p, perr := w.newCatalogSynonymsPage(rw, r, u)
		if perr != nil {
			return perr
		}
		p.Form.Values["synonyms"] = text
		p.Form.fail(err)
		return w.render(rw, r, http.StatusBadRequest, "catalog_synonyms", p)
	}
	w.redirectFlash(rw, r, "/console/catalog/synonyms", "同义词已保存，搜索立即生效")
	return nil
}
