package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
)

// The 一件事 guide (docs/bundles.md) tells an applicant, before anything
// else, the whole of a "one thing" across departments: the situation
// questions, the listings that apply to them with their departments and
// which waits for which, ONE material list merged by standard material
// (一次性告知), and the promised time. Answers travel in the query string
// (answer_<key>=<answer key>), so it works without JavaScript, as the
// listing guide does.

func (w *Web) registerBundles(mux *http.ServeMux) {
	// The home and search pages browse bundles by life event.
	for _, page := range []string{"home", "search"} {
		w.pages[page] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/bundle_parts.html", "templates/"+page+".html"))
	}
	delete(w.pages, "bundle_parts") // partials only
	// The apply form offers, per material, what spares a paper (只提交一次材料).
	w.pages["bundle_apply"] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
		"templates/layout.html", "templates/exchange_parts.html", "templates/bundle_apply.html"))
	mux.HandleFunc("GET /bundles", w.handle(w.bundlesPage))
	mux.HandleFunc("GET /bundles/{id}", w.handle(w.bundleGuide))
	mux.HandleFunc("GET /bundles/{id}/apply", w.handle(w.bundleApplyPage))
	mux.HandleFunc("POST /bundles/{id}/apply", w.limitUpload(w.handle(w.bundleApplySubmit)))
	mux.HandleFunc("POST /cases/{number}/bundle-supplement", w.limitUpload(w.handle(w.bundleSupplement)))
	mux.HandleFunc("GET /console/counter/bundles/{id}", w.handle(w.counterBundlePage))
	mux.HandleFunc("POST /console/counter/bundles/{id}", w.limitUpload(w.handle(w.counterBundleSubmit)))
	mux.HandleFunc("GET /console/bundle-cases/{number}", w.handle(w.consoleBundleCase))
	mux.HandleFunc("POST /console/bundle-cases/{number}/handover", w.handle(w.bundleHandoverSubmit))
	mux.HandleFunc("GET /console/bundles", w.handle(w.consoleBundles))
	mux.HandleFunc("GET /console/catalog/bundles", w.handle(w.bundleAdminList))
	mux.HandleFunc("GET /console/catalog/bundles/new", w.handle(w.bundleAdminNew))
	mux.HandleFunc("POST /console/catalog/bundles/new", w.handle(w.bundleAdminSubmit))
	mux.HandleFunc("GET /console/catalog/bundles/{id}", w.handle(w.bundleAdminEdit))
	mux.HandleFunc("POST /console/catalog/bundles/{id}", w.handle(w.bundleAdminSubmit))
}

// lifeEventGroup is the bundles (or their search hits) of one life event.
type lifeEventGroup[T any] struct {
	Subject   string // 个人 or 法人
	LifeEvent string
	Bundles   []T
}

// bundleGroup is the published bundles of one life event.
type bundleGroup = lifeEventGroup[*tongban.Bundle]

type bundlesPage struct {
	Base
	Groups []bundleGroup
}

// lifeEventOrder places a bundle's life event among the portal's themes:
// people's before enterprises', each in the catalog's theme order, and an
// event no theme names after them.
func lifeEventOrder(subject, event string) int {
	themes, base := tongban.PersonThemes, 0
	if subject == "法人" {
		themes, base = tongban.EnterpriseThemes, 100
	}
	if i := slices.Index(themes, event); i >= 0 {
		return base + i
	}
	return base + 99
}

// groupBundles groups bundles by subject and life event, in the portal's
// theme order.
func groupBundles(bs []*tongban.Bundle) []bundleGroup {
	return groupByLifeEvent(bs, func(b *tongban.Bundle) (string, string) { return b.Subject, b.LifeEvent })
}

// groupByLifeEvent groups items by subject and life event, in the
// portal's theme order.
func groupByLifeEvent[T any](items []T, of func(T) (subject, event string)) []lifeEventGroup[T] {
	var out []lifeEventGroup[T]
	for _, it := range items {
		subject, event := of(it)
		i := slices.IndexFunc(out, func(g lifeEventGroup[T]) bool { return g.Subject == subject && g.LifeEvent == event })
		if i < 0 {
			out = append(out, lifeEventGroup[T]{Subject: subject, LifeEvent: event})
			i = len(out) - 1
		}
		out[i].Bundles = append(out[i].Bundles, it)
	}
	slices.SortStableFunc(out, func(a, b lifeEventGroup[T]) int {
		return lifeEventOrder(a.Subject, a.LifeEvent) - lifeEventOrder(b.Subject, b.LifeEvent)
	})
	return out
}

func (w *Web) publishedBundles(ctx context.Context) ([]*tongban.Bundle, error) {
	return w.Store.Bundles(ctx, tongban.BundleFilter{Status: tongban.BundlePublished})
}

func (w *Web) bundlesPage(rw http.ResponseWriter, r *http.Request) error {
	bs, err := w.publishedBundles(r.Context())
	if err != nil {
		return err
	}
	p := bundlesPage{Base: w.base(rw, r, "一件事一次办"), Groups: groupBundles(bs)}
	return w.render(rw, r, http.StatusOK, "bundles", p)
}

type bundleGuidePage struct {
	Base
	B          *tongban.Bundle
	Questions  []bundleQuestion
	Asked      bool     // the form was submitted (or there is nothing to ask)
	Unanswered []string // questions left open after a submit
	Error      string   // the answers select nothing, say
	// Components are every component, or those the answers select.
	Components []bundleComponentView
	Checklist  *bundle.Checklist
	Saved      int          // materials spared against applying one by one
	Answers    template.URL // the answers as a query string, for the apply link
}

type bundleQuestion struct {
	tongban.BundleSituation
	Chosen string
}

type bundleComponentView struct {
	*tongban.BundleComponent
	After       []string // the names of its prerequisites
	Conditional bool     // applies only under some answers
}

func (w *Web) bundleGuide(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return tongban.Errorf(tongban.ENotFound, "一件事不存在")
	}
	b, err := w.Bundles.Published(ctx, id)
	if err != nil {
		return err
	}
	p := &bundleGuidePage{Base: w.base(rw, r, "一件事办事指南"), B: b}
	p.Title = b.Name + " · " + p.Title
	answers := p.askSituations(r.URL.Query())
	status := http.StatusOK
	var only func(c *tongban.BundleComponent) bool
	if p.Asked && len(p.Unanswered) == 0 {
		_, cl, err := w.Bundles.Checklist(ctx, id, answers)
		switch {
		case tongban.ErrorCodeOf(err) == tongban.EInvalid:
			p.Error, status = tongban.AsError(err).Message, http.StatusBadRequest
		case err != nil:
			return err
		default:
			p.Checklist, p.Saved = cl, cl.Separately-len(cl.Materials)
			only = func(c *tongban.BundleComponent) bool { return cl.Applies(c.Key) }
		}
	}
	for i := range b.Components {
		c := &b.Components[i]
		if only != nil && !only(c) {
			continue
		}
		v := bundleComponentView{BundleComponent: c, Conditional: len(c.When) > 0 && only == nil}
		for _, a := range c.After {
			if pre, ok := b.Component(a); ok && (only == nil || only(pre)) {
				v.After = append(v.After, pre.Name)
			}
		}
		p.Components = append(p.Components, v)
	}
	return w.render(rw, r, status, "bundle_guide", p)
}

// askSituations reads the answers given; a bundle with no questions is
// answered already.
func (p *bundleGuidePage) askSituations(q url.Values) map[string]string {
	p.Asked = q.Get("asked") != "" || len(p.B.Situations) == 0
	answers := map[string]string{}
	links := url.Values{}
	for _, s := range p.B.Situations {
		bq := bundleQuestion{BundleSituation: s}
		given := q.Get("answer_" + s.Key)
		for _, a := range s.Answers {
			if a.Key == given {
				bq.Chosen = a.Key
			}
		}
		if bq.Chosen != "" {
			answers[s.Key] = bq.Chosen
			links.Set("answer_"+s.Key, bq.Chosen)
		} else if p.Asked {
			p.Unanswered = append(p.Unanswered, s.Question)
		}
		p.Questions = append(p.Questions, bq)
	}
	p.Answers = template.URL(links.Encode()) // encoded by url.Values: safe in an href
	return answers
}
