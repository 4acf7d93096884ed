package stats

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/directory"
)

// Scorecard is the supervisor's 成绩单: departments and districts ranked
// by the city's weighted score of their measures over a period.
type Scorecard struct {
	From        string     `json:"from"`
	To          string     `json:"to"`
	Region      string     `json:"region,omitempty"`
	Weights     Weights    `json:"weights"`
	Formula     string     `json:"formula"`
	Departments []ScoreRow `json:"departments"`
	Districts   []ScoreRow `json:"districts"`
}

// ScoreRow is one department's or district's measures and score. A
// measure with no denominator in the period (no case closed, no rating…)
// is null and leaves the score, its weight with it: Weighed says how much
// of the 100 the score stands on. Score is null when nothing weighed.
type ScoreRow struct {
	Rank    int        `json:"rank"` // 1 is best; equal scores share a rank; 0 without a score
	Key     string     `json:"key"`  // org id, or the district's region code
	Name    string     `json:"name"`
	Rates   ScoreRates `json:"rates"`
	Weighed int        `json:"weighed"`
	Score   *float64   `json:"score"` // 0–100, two decimals
}

// scoreCounts are the numerators and denominators of the five measures.
type scoreCounts struct {
	cases   tongban.RollupCounts
	ratings tongban.RatingRollupCounts
	online  int64 // published listings that can be applied for online
	listed  int64 // published listings
}

func (c *scoreCounts) add(o scoreCounts) {
	c.cases.Add(o.cases)
	c.ratings.Add(o.ratings)
	c.online += o.online
	c.listed += o.listed
}

// ScoreRates are the five measures a score weighs; null without a denominator.
type ScoreRates struct {
	OnTime  Ratio `json:"ontime"`  // 按时办结率
	Good    Ratio `json:"good"`    // 好评率
	Rectify Ratio `json:"rectify"` // 整改按时率
	Window  Ratio `json:"window"`  // 一窗受理率
	Online  Ratio `json:"online"`  // 网上可办率
}

// Of is the rate of measure m.
func (r ScoreRates) Of(m ScoreMeasure) Ratio {
	return map[ScoreMeasure]Ratio{ScoreOnTime: r.OnTime, ScoreGood: r.Good, ScoreRectify: r.Rectify,
		ScoreWindow: r.Window, ScoreOnline: r.Online}[m]
}

func (c scoreCounts) rates() ScoreRates {
	return ScoreRates{
		OnTime:  ratio(c.cases.ClosedOnTime, c.cases.Closed),
		Good:    ratio(c.ratings.Good, c.ratings.Rated),
		Rectify: ratio(c.ratings.ClosedOnTime, c.ratings.Closed),
		Window:  ratio(c.cases.CounterAcceptedAtWindow, c.cases.CounterSubmitted),
		Online:  ratio(c.online, c.listed),
	}
}

// scoreRow weighs c's measures by w.
func scoreRow(key, name string, c scoreCounts, w Weights) ScoreRow {
	r := ScoreRow{Key: key, Name: name, Rates: c.rates()}
	var sum float64
	for _, m := range ScoreMeasures {
		if v := r.Rates.Of(m); v != nil && w[m] > 0 {
			sum += float64(w[m]) * *v
			r.Weighed += w[m]
		}
	}
	if r.Weighed > 0 {
		s := math.Round(sum/float64(r.Weighed)*100*100) / 100
		r.Score = &s
	}
	return r
}

// Score computes the 成绩单 of f's period and region (or department):
// the case measures from the case rollups, the rating measures from the
// rating rollups (ratings given in the period), 网上可办率 from the
// listings published now. A district sums its departments' counts (the
// departments of the district and of its towns), so its rates are not
// averages of rates. Item, listing and channel do not apply.
func Score(ctx context.Context, st tongban.Store, f tongban.RollupFilter, w Weights) (*Scorecard, error) {
	if w == nil {
		w = DefaultWeights
	}
	f.ItemID, f.ListingID, f.Channel = 0, 0, ""
	sums, err := st.SumRollups(ctx, f)
	if err != nil {
		return nil, err
	}
	rated, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{From: f.From, To: f.To, Region: f.Region, OrgID: f.OrgID}, tongban.ByRatingOrg)
	if err != nil {
		return nil, err
	}
	facts, err := st.ListingFacts(ctx, f)
	if err != nil {
		return nil, err
	}
	byOrg := map[int64]*scoreCounts{}
	at := func(id int64) *scoreCounts {
		if byOrg[id] == nil {
			byOrg[id] = &scoreCounts{}
		}
		return byOrg[id]
	}
	for id, c := range sums {
		at(id).cases = c
	}
	for k, c := range rated {
		id, _ := strconv.ParseInt(k, 10, 64)
		at(id).ratings = c
	}
	for _, l := range facts {
		c := at(l.OrgID)
		c.listed++
		if l.OnlineDepth.Online() {
			c.online++
		}
	}
	orgs, err := st.Orgs(ctx, tongban.OrgFilter{})
	if err != nil {
		return nil, err
	}
	regions, err := st.Regions(ctx, "")
	if err != nil {
		return nil, err
	}
	regionName := map[string]string{}
	for _, r := range regions {
		regionName[r.Code] = r.Name
	}
	sc := &Scorecard{From: f.From, To: f.To, Region: f.Region, Weights: w, Formula: w.Formula(),
		Departments: []ScoreRow{}, Districts: []ScoreRow{}}
	districts := map[string]*scoreCounts{}
	orgRegion := map[string]string{}
	for _, o := range orgs {
		c := byOrg[o.ID]
		if c == nil {
			continue
		}
		key := strconv.FormatInt(o.ID, 10)
		orgRegion[key] = o.RegionCode
		sc.Departments = append(sc.Departments, scoreRow(key, o.Name, *c, w))
		if tongban.RegionCodeLevel(o.RegionCode) >= tongban.LevelCounty {
			d := o.RegionCode[:6] + "000000"
			if districts[d] == nil {
				districts[d] = &scoreCounts{}
			}
			districts[d].add(*c)
		}
	}
	for code, c := range districts {
		name := regionName[code]
		if name == "" {
			name = code
		}
		sc.Districts = append(sc.Districts, scoreRow(code, name, *c, w))
	}
	// Ties (and rows without a score) keep the directory's order.
	directory.SortByLevelAndName(sc.Departments, func(r ScoreRow) string { return orgRegion[r.Key] }, func(r ScoreRow) string { return r.Name })
	slices.SortFunc(sc.Districts, func(a, b ScoreRow) int { return cmp.Compare(a.Key, b.Key) })
	rank(sc.Departments)
	rank(sc.Districts)
	return sc, nil
}

// rank orders rows by score, best first, stable for ties, and numbers
// them; equal scores share a rank, rows without a score come last unranked.
func rank(rows []ScoreRow) {
	slices.SortStableFunc(rows, func(a, b ScoreRow) int {
		switch {
		case a.Score == nil && b.Score == nil:
			return 0
		case a.Score == nil:
			return 1
		case b.Score == nil:
			return -1
		}
		return cmp.Compare(*b.Score, *a.Score)
	})
	for i := range rows {
		switch {
		case rows[i].Score == nil:
		case i > 0 && rows[i-1].Score != nil && *rows[i-1].Score == *rows[i].Score:
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
}
