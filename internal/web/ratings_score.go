package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/stats"
)

// scorecardPage is the supervisor's 成绩单: departments and districts of
// their region ranked by the city's weighted score over a month or a
// period, with the formula beside it and the same table as xlsx.
type scorecardPage struct {
	Base
	Month, From, To string
	Region          string
	Regions         []option
	Measures        []string // column labels, in stats.ScoreMeasures order
	Terms           []scoreTerm
	Departments     []scoreRowView
	Districts       []scoreRowView
	// Export is the xlsx link with the same filter.
	Export string
}

// scoreTerm is one weighted measure of the formula.
type scoreTerm struct {
	Weight int
	Label  string
}

type scoreRowView struct {
	Rank    int
	Name    string
	Rates   []string // percentages, "—" without a denominator
	Weighed int
	Score   string
}

func (w *Web) registerScorecard(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/ratings", w.handle(w.scorecard))
	mux.HandleFunc("GET /console/ratings.xlsx", w.handle(w.scorecardXLSX))
}

// scorecardOf reads the filter, checks the supervisor's reach and computes.
func (w *Web) scorecardOf(r *http.Request) (*stats.Scorecard, tongban.RollupFilter, *tongban.User, error) {
	u, err := w.staff(r, identity.PermSupervise)
	if err != nil {
		return nil, tongban.RollupFilter{}, nil, err
	}
	f, err := stats.ScoreFilterFromQuery(r.URL.Query(), w.Workflow.Clock.Now())
	if err != nil {
		return nil, f, u, err
	}
	asked := f
	if f, err = stats.Scope(r.Context(), w.Store, u, f); err != nil {
		return nil, f, u, err
	}
	sc, err := stats.Score(r.Context(), w.Store, f, w.ScoreWeights)
	return sc, asked, u, err
}

func (w *Web) scorecard(rw http.ResponseWriter, r *http.Request) error {
	sc, asked, u, err := w.scorecardOf(r)
	if err != nil {
		return err
	}
	p := scorecardPage{Base: w.base(rw, r, "成绩单"), Month: r.URL.Query().Get("month"), From: sc.From, To: sc.To,
		Region: asked.Region}
	for _, m := range stats.ScoreMeasures {
		p.Measures = append(p.Measures, m.Label())
		if sc.Weights[m] > 0 {
			p.Terms = append(p.Terms, scoreTerm{sc.Weights[m], m.Label()})
		}
	}
	p.Departments, p.Districts = scoreRowsOf(sc.Departments), scoreRowsOf(sc.Districts)
	q := url.Values{"from": {sc.From}, "to": {sc.To}}
	if asked.Region != "" {
		q.Set("region", asked.Region)
	}
	p.Export = "/console/ratings.xlsx?" + q.Encode()
	var m measuresPage
	if err := w.measureOptions(r.Context(), u, tongban.RollupFilter{Region: asked.Region}, &m); err != nil {
		return err
	}
	p.Regions = m.Regions
	return w.render(rw, r, http.StatusOK, "ratings_score", p)
}

func scoreRowsOf(rows []stats.ScoreRow) []scoreRowView {
	out := make([]scoreRowView, 0, len(rows))
	for _, r := range rows {
		v := scoreRowView{Rank: r.Rank, Name: r.Name, Weighed: r.Weighed, Score: "—"}
		for _, m := range stats.ScoreMeasures {
			v.Rates = append(v.Rates, pct(r.Rates.Of(m)))
		}
		if r.Score != nil {
			v.Score = fmt.Sprintf("%.2f", *r.Score)
		}
		out = append(out, v)
	}
	return out
}

func (w *Web) scorecardXLSX(rw http.ResponseWriter, r *http.Request) error {
	sc, _, _, err := w.scorecardOf(r)
	if err != nil {
		return err
	}
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="chengjidan-%s-%s.xlsx"`, sc.From, sc.To))
	return stats.WriteScoreXLSX(rw, sc)
}

// scoreTable is what the page's "score-table" template draws: the
// departments' or the districts' ranking.
type scoreTable struct {
	Lang     Lang
	ID, Head string
	Measures []string
	Rows     []scoreRowView
}

func init() {
	funcs["scoreTable"] = func(l Lang, id, head string, measures []string, rows []scoreRowView) scoreTable {
		return scoreTable{l, id, head, measures, rows}
	}
}
