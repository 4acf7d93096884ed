package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/httpx"
)

// The guide (办事指南) tells an applicant, before any trip, everything a
// listing asks: conditions, materials and where each comes from, process and
// time limits, fees, place, and the situation questions whose answers make
// the checklist theirs (一次性告知). Answers travel in the query string
// (situation_<key>=<answer key>, as the apply page reads them), so the page
// works without JavaScript: each submit re-renders it with the questions the
// answers so far make relevant.

// guidePages share the partials in guide_parts.html.
var guidePages = []string{"guide", "guide_print"}

// registerGuide mounts the public search and guide pages.
func (w *Web) registerGuide(mux *http.ServeMux) {
	for _, page := range guidePages {
		w.pages[page] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/guide_parts.html", "templates/"+page+".html"))
	}
	delete(w.pages, "guide_parts") // partials only
	mux.HandleFunc("GET /search", w.handle(w.searchPage))
	mux.HandleFunc("GET /guide/{id}", w.handle(w.guide))
	mux.HandleFunc("GET /guide/{id}/print", w.handle(w.guidePrint))
}

type guidePage struct {
	Base
	L          *tongban.Listing
	Item       *tongban.Item
	RegionName string
	Draft      bool // an editor previewing an unpublished listing

	Reduction int // promised time below statutory, in percent
	Steps     []guideStep
	Materials []guideMaterial // every material, 依情形 ones marked
	Flags     []string

	Questions  []guideQuestion
	Asked      bool     // the form was submitted
	Unanswered []string // questions still open after a submit
	Checklist  *guideChecklist
	// ChecklistError is why no checklist could be made: a draft whose
	// situations point nowhere (published listings passed the check).
	ChecklistError string
	Answers        template.URL // the answers as a query string, for the print and apply links
	Printed        string       // date line of the printable version
}

type guideStep struct {
	tongban.Step
	Share int // percent of the promised days
}

// guideMaterial is a material with what the applicant needs to know about
// bringing it.
type guideMaterial struct {
	tongban.Material
	Lang       Lang
	NoNeed     bool   // fetched by the government: 电子证照, 共享数据, 政府部门核发
	NoNeedWhy  string // why the applicant need not bring it
	BlankURL   string // links, when the references are web addresses
	ExampleURL string
}

type guideQuestion struct {
	tongban.Situation
	Visible   bool   // its DependsOn answer was chosen (or it has none)
	Chosen    string // answer key
	DependsOn string // "s1=a1", for the progressive script
}

type guideChecklist struct {
	Materials  []guideMaterial
	Conditions []string
	Bring      int // materials the applicant must hand over
	Fetched    int // materials the government fetches itself
}

func (w *Web) guide(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.guideOf(rw, r, "办事指南")
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "guide", p)
}

// guidePrint is the same guide laid out for paper: what to bring, where and
// when, with the applicant's checklist if they answered the questions.
func (w *Web) guidePrint(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.guideOf(rw, r, "办事指南（打印版）")
	if err != nil {
		return err
	}
	p.Printed = w.Identity.Clock.Now().In(calendar.Location()).Format("2006-01-02")
	return w.render(rw, r, http.StatusOK, "guide_print", p)
}

func (w *Web) guideOf(rw http.ResponseWriter, r *http.Request, title string) (*guidePage, error) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, tongban.Errorf(tongban.ENotFound, "办事指南不存在")
	}
	actor := httpx.User(ctx)
	l, err := w.Catalog.Listing(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	item, err := w.Store.Item(ctx, l.ItemID)
	if err != nil {
		return nil, err
	}
	p := &guidePage{Base: w.base(rw, r, title), L: l, Item: item, Draft: l.Status != tongban.ListingPublished}
	p.Title = l.Name + " · " + p.Title
	p.RegionName = l.RegionCode
	if reg, err := w.Store.Region(ctx, l.RegionCode); err == nil {
		p.RegionName = reg.Name
	}
	if item.StatutoryDays > 0 && l.PromisedDays < item.StatutoryDays {
		p.Reduction = 100 - l.PromisedDays*100/item.StatutoryDays
	}
	for _, s := range l.Steps {
		st := guideStep{Step: s}
		if l.PromisedDays > 0 && s.CountsTowardLimit {
			st.Share = s.Days * 100 / l.PromisedDays
		}
		p.Steps = append(p.Steps, st)
	}
	for _, m := range l.Materials {
		p.Materials = append(p.Materials, materialView(p.Lang, m))
	}
	p.Flags = flagLabels(l.Flags)
	p.askSituations(r)
	if p.Asked && len(p.Unanswered) == 0 {
		cl, err := w.Catalog.Checklist(ctx, actor, l.ID, 0, p.answerMap())
		if tongban.ErrorCodeOf(err) == tongban.EInvalid {
			p.ChecklistError = tongban.AsError(err).Message
			return p, nil
		}
		if err != nil {
			return nil, err
		}
		p.Checklist = &guideChecklist{Conditions: cl.Conditions}
		for _, m := range cl.Materials {
			mv := materialView(p.Lang, m)
			if mv.NoNeed {
				p.Checklist.Fetched++
			} else {
				p.Checklist.Bring++
			}
			p.Checklist.Materials = append(p.Checklist.Materials, mv)
		}
	}
	return p, nil
}

// askSituations reads the answers given and decides which questions show: a
// dependent question only once the answer it depends on was chosen. An
// answer to a question that is not asked (left over from an earlier choice)
// is dropped, as Tailor would ignore it.
func (p *guidePage) askSituations(r *http.Request) {
	q := r.URL.Query()
	p.Asked = q.Get("asked") != ""
	chosen := map[string]string{}
	links := url.Values{}
	for _, s := range p.L.Situations {
		gq := guideQuestion{Situation: s, Visible: true}
		if d := s.DependsOn; d != nil {
			gq.DependsOn = d.Situation + "=" + d.Answer
			gq.Visible = chosen[d.Situation] == d.Answer
		}
		if gq.Visible {
			given := q.Get("situation_" + s.Key)
			for _, a := range s.Answers {
				if a.Key == given {
					gq.Chosen = a.Key
				}
			}
			if gq.Chosen != "" {
				chosen[s.Key] = gq.Chosen
				links.Set("situation_"+s.Key, gq.Chosen)
			} else if p.Asked {
				p.Unanswered = append(p.Unanswered, s.Question)
			}
		}
		p.Questions = append(p.Questions, gq)
	}
	if len(p.L.Situations) == 0 {
		p.Asked = true // nothing to ask: the standing list is the checklist
	}
	p.Answers = template.URL(links.Encode()) // encoded by url.Values: safe in an href
}

func (p *guidePage) answerMap() map[string]string {
	out := map[string]string{}
	for _, gq := range p.Questions {
		if gq.Visible && gq.Chosen != "" {
			out[gq.Key] = gq.Chosen
		}
	}
	return out
}

// materialView marks what the applicant need not bring: the reform's
// 材料减少 — the government fetches e-licenses and shared data, and never
// asks for what it issued itself.
func materialView(l Lang, m tongban.Material) guideMaterial {
	mv := guideMaterial{Material: m, Lang: l, BlankURL: webURL(m.BlankForm), ExampleURL: webURL(m.Example)}
	switch m.Source {
	case tongban.SourceELicense:
		mv.NoNeed, mv.NoNeedWhy = true, "系统自动调取"
	case tongban.SourceShared:
		mv.NoNeed, mv.NoNeedWhy = true, "部门间自动核验"
	case tongban.SourceGovernment:
		mv.NoNeed, mv.NoNeedWhy = true, "无需自备"
	}
	return mv
}

// webURL returns s if it is a web address; blob hashes are not linkable
// from a public page.
func webURL(s string) string {
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return s
	}
	return ""
}

func flagLabels(f tongban.Flags) []string {
	var out []string
	for _, x := range []struct {
		on    bool
		label string
	}{{f.MostOneTrip, "最多跑一次"}, {f.TolerantAcceptance, "容缺受理"}, {f.Commitment, "告知承诺"},
		{f.CrossRegion, "跨域通办"}, {f.Express, "支持快递"}, {f.Appointment, "支持预约"}} {
		if x.on {
			out = append(out, x.label)
		}
	}
	return out
}
