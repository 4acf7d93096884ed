package stats

import (
	"context"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/directory"
)

// Ratio is a measure's value; nil when its denominator is zero, so that
// "no cases" never reads as 0% or 100%.
type Ratio = *float64

func ratio(num, den int64) Ratio {
	if den == 0 {
		return nil
	}
	r := float64(num) / float64(den)
	return &r
}

// CatalogMeasures are the measures of published listings.
type CatalogMeasures struct {
	Listings       int   `json:"listings"`
	OnlineRate     Ratio `json:"online_rate"`     // 网上可办率
	FullyOnline    Ratio `json:"fully_online"`    // 全程网办率
	InstantRate    Ratio `json:"instant_rate"`    // 即办件比例
	Compression    Ratio `json:"compression"`     // 承诺时限压缩率, average over listings with a statutory limit
	CompressionMet Ratio `json:"compression_met"` // listings promising ≤ 50% of statutory / those with a limit
}

// Compression is 1 − promised/statutory for one listing; false without a statutory limit.
func Compression(l tongban.ListingFact) (float64, bool) {
	if l.StatutoryDays <= 0 {
		return 0, false
	}
	return 1 - float64(l.PromisedDays)/float64(l.StatutoryDays), true
}

// Catalog computes the catalog measures of the listings.
func Catalog(ls []tongban.ListingFact) CatalogMeasures {
	var online, full, instant, limited, met int64
	var sum float64
	for _, l := range ls {
		if l.OnlineDepth.Online() {
			online++
		}
		if l.OnlineDepth == tongban.DepthFullyOnline {
			full++
		}
		if l.CaseType == tongban.CaseInstant {
			instant++
		}
		if c, ok := Compression(l); ok {
			limited++
			sum += c
			if c >= 0.5 {
				met++
			}
		}
	}
	n := int64(len(ls))
	m := CatalogMeasures{Listings: len(ls), OnlineRate: ratio(online, n), FullyOnline: ratio(full, n),
		InstantRate: ratio(instant, n), CompressionMet: ratio(met, limited)}
	if limited > 0 {
		avg := sum / float64(limited)
		m.Compression = &avg
	}
	return m
}

// CaseMeasures are the measures of the cases in the rollups summed.
type CaseMeasures struct {
	tongban.RollupCounts
	OneWindowRate  Ratio `json:"one_window_rate"` // 一窗受理率
	OnTimeRate     Ratio `json:"on_time_rate"`    // 按时办结率
	VisitsPerCase  Ratio `json:"visits_per_case"` // 跑动次数 per closed case
	OneTripRate    Ratio `json:"one_trip_rate"`   // 最多跑一次 rate of closed cases
	MaterialsSaved Ratio `json:"materials_saved"` // 材料减少率
	// 免提交率: materials spared by a reference the server resolved ÷
	// materials asked, and by kind of reference.
	NoSubmitRate   Ratio `json:"no_submit_rate"`
	NoSubmitByKind Kinds `json:"no_submit_by_kind"`
	// 好评率 and 差评率 of the ratings given in the period, over the ratings
	// given (nil with none); Ratings says why there is no figure, if so.
	Rated    int64  `json:"rated"`
	GoodRate Ratio  `json:"good_rate"`
	BadRate  Ratio  `json:"bad_rate"`
	Ratings  string `json:"ratings"`
	// RatingsExcluded are the period's ratings out of 好评率 and 差评率 by
	// an upheld appeal (申诉成立), shown beside them, never dropped silently.
	RatingsExcluded int64 `json:"ratings_excluded"`
}

// Kinds are 免提交率 by kind of reference.
type Kinds struct {
	License Ratio `json:"license"` // 电子证照
	Library Ratio `json:"library"` // 材料库
	Shared  Ratio `json:"shared"`  // 共享数据
}

// NoRatings says why the rating measures are empty: nobody rated in the
// period; no number is shown in their place.
const NoRatings = "暂无评价数据"

// RatingsNotFiltered says why the rating measures are empty under an item
// or channel filter: ratings are counted by department, listing and period.
const RatingsNotFiltered = "评价数据不按事项或办理渠道筛选"

// withRatings adds the rating measures of c; note explains an empty one.
func (m CaseMeasures) withRatings(c tongban.RatingCounts, note string) CaseMeasures {
	m.Rated, m.GoodRate, m.BadRate = c.Rated, ratio(c.Good, c.Rated), ratio(c.Bad, c.Rated)
	m.RatingsExcluded = c.Excluded
	switch {
	case note != "":
		m.Ratings = note
	case c.Rated == 0:
		m.Ratings = NoRatings
	default:
		m.Ratings = ""
	}
	return m
}

// ratingCounts reads the rating rollups of f's period by org; none under an
// item or channel filter, which ratings are not counted by.
func ratingCounts(ctx context.Context, st tongban.Store, f tongban.RollupFilter) (map[int64]tongban.RatingCounts, string, error) {
	if f.ItemID != 0 || f.Channel != "" {
		return nil, RatingsNotFiltered, nil
	}
	sums, err := st.SumRatingRollups(ctx, tongban.RatingRollupFilter{From: f.From, To: f.To, Region: f.Region,
		OrgID: f.OrgID, ListingID: f.ListingID}, tongban.ByRatingOrg)
	if err != nil {
		return nil, "", err
	}
	out := make(map[int64]tongban.RatingCounts, len(sums))
	for k, c := range sums {
		id, _ := strconv.ParseInt(k, 10, 64)
		out[id] = tongban.RatingCounts{Rated: c.Rated, Good: c.Good, Bad: c.Bad, Excluded: c.Excluded}
	}
	return out, "", nil
}

// Cases computes the case measures of summed rollups.
func Cases(c tongban.RollupCounts) CaseMeasures {
	return CaseMeasures{RollupCounts: c,
		OneWindowRate:  ratio(c.CounterAcceptedAtWindow, c.CounterSubmitted),
		OnTimeRate:     ratio(c.ClosedOnTime, c.Closed),
		VisitsPerCase:  ratio(c.Visits, c.Closed),
		OneTripRate:    ratio(c.OneTripCases, c.Closed),
		MaterialsSaved: ratio(c.MaterialsNotHanded, c.MaterialsAsked),
		NoSubmitRate:   ratio(c.MaterialsByLicense+c.MaterialsByLibrary+c.MaterialsByShared, c.MaterialsAsked),
		NoSubmitByKind: Kinds{License: ratio(c.MaterialsByLicense, c.MaterialsAsked),
			Library: ratio(c.MaterialsByLibrary, c.MaterialsAsked), Shared: ratio(c.MaterialsByShared, c.MaterialsAsked)},
		Ratings: NoRatings,
	}
}

// Row is one department's measures.
type Row struct {
	OrgID   int64           `json:"org_id"`
	OrgName string          `json:"org_name"`
	Catalog CatalogMeasures `json:"catalog"`
	Cases   CaseMeasures    `json:"cases"`
}

// Dashboard is every measure by department, and the total.
type Dashboard struct {
	Filter tongban.RollupFilter `json:"filter"`
	Rows   []Row                `json:"rows"`
	Total  Row                  `json:"total"`
}

// Compute reads the rollups and listings matching f and returns the
// dashboard. Its cost is that of the rollup cells in the period, not the cases.
func Compute(ctx context.Context, st tongban.Store, f tongban.RollupFilter) (*Dashboard, error) {
	sums, err := st.SumRollups(ctx, f)
	if err != nil {
		return nil, err
	}
	facts, err := st.ListingFacts(ctx, f)
	if err != nil {
		return nil, err
	}
	byOrg := map[int64][]tongban.ListingFact{}
	for _, l := range facts {
		byOrg[l.OrgID] = append(byOrg[l.OrgID], l)
	}
	orgs := map[int64]bool{}
	for id := range sums {
		orgs[id] = true
	}
	for id := range byOrg {
		orgs[id] = true
	}
	rated, note, err := ratingCounts(ctx, st, f)
	if err != nil {
		return nil, err
	}
	for id := range rated {
		orgs[id] = true
	}
	// One read for every department's name, rather than one per row.
	all, err := st.Orgs(ctx, tongban.OrgFilter{})
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(all))
	regions := make(map[int64]string, len(all))
	for _, o := range all {
		names[o.ID], regions[o.ID] = o.Name, o.RegionCode
	}
	d := &Dashboard{Filter: f}
	var total tongban.RollupCounts
	var totalRated tongban.RatingCounts
	for id := range orgs {
		total.Add(sums[id])
		rc := rated[id]
		totalRated.Rated, totalRated.Good, totalRated.Bad = totalRated.Rated+rc.Rated, totalRated.Good+rc.Good, totalRated.Bad+rc.Bad
		totalRated.Excluded += rc.Excluded
		d.Rows = append(d.Rows, Row{OrgID: id, OrgName: names[id], Catalog: Catalog(byOrg[id]),
			Cases: Cases(sums[id]).withRatings(rc, note)})
	}
	directory.SortByLevelAndName(d.Rows, func(r Row) string { return regions[r.OrgID] }, func(r Row) string { return r.OrgName })
	d.Total = Row{OrgName: "合计", Catalog: Catalog(facts), Cases: Cases(total).withRatings(totalRated, note)}
	return d, nil
}

// Quarter returns the first day of now's quarter and now's day, China time.
func Quarter(now time.Time) (from, to string) {
	t := now.In(calendar.Location())
	first := time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, t.Location())
	return first.Format(time.DateOnly), t.Format(time.DateOnly)
}
