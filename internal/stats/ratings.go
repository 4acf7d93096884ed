package stats

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/directory"
)

// RatingMeasures are the 好差评 measures of summed rating rollups. All
// count ratings in the period they were first given, and the tickets of
// those ratings, whenever they were answered.
type RatingMeasures struct {
	tongban.RatingRollupCounts
	GoodRate    Ratio `json:"good_rate"`    // 好评率: 满意 and 非常满意 ÷ rated
	BadRate     Ratio `json:"bad_rate"`     // 差评率: 不满意 and 非常不满意 ÷ rated
	VisitRate   Ratio `json:"visit_rate"`   // 实名差评回访率: 回访核实 done ÷ 差评 tickets
	RectifyRate Ratio `json:"rectify_rate"` // 差评整改率: tickets closed (已整改 or 核实无效) ÷ tickets
	OnTimeRate  Ratio `json:"on_time_rate"` // 差评整改按时率: closed by the deadline ÷ closed
	// SatisfiedRate is the raters' verdicts 满意 ÷ verdicts given.
	SatisfiedRate Ratio `json:"satisfied_rate"`
}

// RatingMeasuresOf computes the measures of c.
func RatingMeasuresOf(c tongban.RatingRollupCounts) RatingMeasures {
	return RatingMeasures{RatingRollupCounts: c, GoodRate: ratio(c.Good, c.Rated), BadRate: ratio(c.Bad, c.Rated),
		VisitRate: ratio(c.Visited, c.Tickets), RectifyRate: ratio(c.Closed, c.Tickets),
		OnTimeRate: ratio(c.ClosedOnTime, c.Closed), SatisfiedRate: ratio(c.VerdictsSatisfied, c.Verdicts)}
}

// RatingRow is the rating measures of one department, region, listing,
// channel or month (Key is its id, code, channel or YYYY-MM).
type RatingRow struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	RatingMeasures
}

// RatingTable is the rating measures grouped one way, and their total.
type RatingTable struct {
	Filter tongban.RatingRollupFilter `json:"filter"`
	By     tongban.RatingGroup        `json:"by"`
	Rows   []RatingRow                `json:"rows"`
	Total  RatingMeasures             `json:"total"`
}

// RatingsBy reads the rating rollups matching f grouped by g: departments
// in region-level then pinyin order, regions by code, months in order.
func RatingsBy(ctx context.Context, st tongban.Store, f tongban.RatingRollupFilter, g tongban.RatingGroup) (*RatingTable, error) {
	sums, err := st.SumRatingRollups(ctx, f, g)
	if err != nil {
		return nil, err
	}
	t := &RatingTable{Filter: f, By: g}
	var total tongban.RatingRollupCounts
	for k, c := range sums {
		total.Add(c)
		t.Rows = append(t.Rows, RatingRow{Key: k, Name: k, RatingMeasures: RatingMeasuresOf(c)})
	}
	t.Total = RatingMeasuresOf(total)
	slices.SortFunc(t.Rows, func(a, b RatingRow) int { return cmp.Compare(a.Key, b.Key) })
	return t, nameRatingRows(ctx, st, t)
}

// nameRatingRows names the rows of t and puts departments in their order.
func nameRatingRows(ctx context.Context, st tongban.Store, t *RatingTable) error {
	if len(t.Rows) == 0 { // nothing to name: no need to read the directory
		return nil
	}
	switch t.By {
	case tongban.ByRatingOrg:
		orgs, err := st.Orgs(ctx, tongban.OrgFilter{})
		if err != nil {
			return err
		}
		byID := map[string]*tongban.Org{}
		for _, o := range orgs {
			byID[strconv.FormatInt(o.ID, 10)] = o
		}
		region := map[string]string{}
		for i, r := range t.Rows {
			if o := byID[r.Key]; o != nil {
				t.Rows[i].Name, region[r.Key] = o.Name, o.RegionCode
			}
		}
		directory.SortByLevelAndName(t.Rows, func(r RatingRow) string { return region[r.Key] }, func(r RatingRow) string { return r.Name })
	case tongban.ByRatingRegion:
		regions, err := st.Regions(ctx, "")
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, r := range regions {
			names[r.Code] = r.Name
		}
		for i, r := range t.Rows {
			if n := names[r.Key]; n != "" {
				t.Rows[i].Name = n
			}
		}
	case tongban.ByRatingListing:
		for i, r := range t.Rows {
			id, _ := strconv.ParseInt(r.Key, 10, 64)
			if l, err := st.Listing(ctx, id); err == nil {
				t.Rows[i].Name = l.Name
			} else if !tongban.IsCode(err, tongban.ENotFound) {
				return err
			}
		}
	case tongban.ByRatingChannel:
		for i, r := range t.Rows {
			if l := tongban.RatingChannel(r.Key).Label(); l != "" {
				t.Rows[i].Name = l
			}
		}
	}
	return nil
}
