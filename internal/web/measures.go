package web

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/directory"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/stats"
)

// measuresPage is 监管指标: every measure of DESIGN.md by department for a
// period, read from the rollups (a few seconds behind the cases), with
// every filter the API has: period, region, department, item, listing and
// channel.
type measuresPage struct {
	Base
	From, To, Channel string
	Region            string
	OrgID, ItemID     int64
	ListingID         int64
	Channels          []tongban.Channel
	Regions           []option
	Orgs              []option
	Items             []option
	Listings          []option // offered once a department or an item narrows them
	Rows              []measuresRow
	Total             measuresRow
	// Complaints are the 12345 and 办不成事 measures of the period and
	// region (measures_complaints.go); ComplaintsShown once counted.
	Complaints      []complaintMeasuresRow
	ComplaintTotal  *complaintMeasuresRow
	ComplaintsShown bool
	// Ratings is the 好差评指标 table (measures_ratings.go).
	Ratings *ratingMeasures
}

// option is one choice of a filter's select.
type option struct {
	Value string
	Label string
}

// measuresRow is one department's measures, formatted; "—" where a measure
// has no denominator yet.
type measuresRow struct {
	Name                                               string
	Listings                                           int
	Online, FullyOnline, Instant, Compression          string
	Submitted, Closed                                  int64
	OneWindow, OnTime, Visits, OneTrip, MaterialsSaved string
	// NoSubmit is 免提交率; NoSubmitKinds splits it by licence, library and shared data.
	NoSubmit, NoSubmitKinds string
	// Good is 好评率 of the ratings given, Rated their number; RatingsNote
	// says why there is no figure (no rating, or a filter ratings ignore).
	Good, RatingsNote string
	Rated             int64
	// RatingsExcluded are ratings out of 好评率 by an upheld appeal, shown
	// beside it.
	RatingsExcluded int64
}

func (w *Web) registerMeasures(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/measures", w.handle(w.measures))
}

func (w *Web) measures(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.staff(r, identity.PermSupervise)
	if err != nil {
		return err
	}
	ctx := r.Context()
	f, err := stats.FilterFromQuery(r.URL.Query(), w.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	asked := f
	if f, err = stats.Scope(ctx, w.Store, u, f); err != nil {
		return err
	}
	d, err := w.dashboard(ctx, f)
	if err != nil {
		return err
	}
	p := measuresPage{Base: w.base(rw, r, "监管指标"), From: f.From, To: f.To, Channel: string(f.Channel),
		Region: asked.Region, OrgID: asked.OrgID, ItemID: f.ItemID, ListingID: f.ListingID,
		Channels: []tongban.Channel{tongban.ChannelOnline, tongban.ChannelCounter, tongban.ChannelMobile,
			tongban.ChannelKiosk, tongban.ChannelAgent}, Total: measuresRowOf(d.Total)}
	for _, row := range d.Rows {
		p.Rows = append(p.Rows, measuresRowOf(row))
	}
	if err := w.measureOptions(ctx, u, f, &p); err != nil {
		return err
	}
	if err := w.measureRatings(ctx, r.URL.Query(), f, &p); err != nil {
		return err
	}
	if err := w.measureComplaints(r, f, &p); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "measures", p)
}

// measureOptions fills the filters' choices within what u supervises: the
// regions down to the districts, the departments of the chosen region, the
// items their published listings implement, and those listings once a
// department or item is chosen.
func (w *Web) measureOptions(ctx context.Context, u *tongban.User, f tongban.RollupFilter, p *measuresPage) error {
	sc, err := identity.Authorizer{Orgs: w.Store}.Scope(ctx, u, identity.PermSupervise)
	if err != nil {
		return err
	}
	for _, top := range sc.Regions {
		regions, err := w.Store.Regions(ctx, top)
		if err != nil {
			return err
		}
		for _, reg := range regions {
			if reg.Level <= tongban.LevelCounty {
				p.Regions = append(p.Regions, option{reg.Code, reg.Name})
			}
		}
	}
	var orgs []*tongban.Org
	if len(sc.Regions) > 0 {
		within := f.Region
		if within == "" {
			within = sc.Regions[0]
		}
		if orgs, err = w.Store.Orgs(ctx, tongban.OrgFilter{Within: within, Kind: tongban.OrgDepartment}); err != nil {
			return err
		}
	}
	for _, id := range sc.OrgIDs {
		o, err := w.Store.Org(ctx, id)
		if err != nil {
			return err
		}
		if o.Kind == tongban.OrgDepartment {
			orgs = append(orgs, o)
		}
	}
	directory.SortOrgs(orgs)
	for _, o := range orgs {
		p.Orgs = append(p.Orgs, option{strconv.FormatInt(o.ID, 10), o.Name})
	}
	facts, err := w.Store.ListingFacts(ctx, tongban.RollupFilter{Region: f.Region, OrgID: f.OrgID})
	if err != nil {
		return err
	}
	items := map[int64]string{}
	for _, l := range facts {
		items[l.ItemID] = l.ItemName
		if (f.OrgID != 0 || f.ItemID != 0) && (f.ItemID == 0 || l.ItemID == f.ItemID) {
			p.Listings = append(p.Listings, option{strconv.FormatInt(l.ListingID, 10), l.ListingName})
		}
	}
	for id, name := range items {
		p.Items = append(p.Items, option{strconv.FormatInt(id, 10), name})
	}
	slices.SortFunc(p.Items, func(a, b option) int { return cmp.Compare(a.Value, b.Value) }) // stable input
	noLevel, label := func(option) string { return "" }, func(o option) string { return o.Label }
	directory.SortByLevelAndName(p.Items, noLevel, label)
	directory.SortByLevelAndName(p.Listings, noLevel, label)
	return nil
}

func measuresRowOf(r stats.Row) measuresRow {
	visits := "—"
	if r.Cases.VisitsPerCase != nil {
		visits = fmt.Sprintf("%.2f", *r.Cases.VisitsPerCase)
	}
	return measuresRow{Good: pct(r.Cases.GoodRate), Rated: r.Cases.Rated, RatingsNote: r.Cases.Ratings,
		RatingsExcluded: r.Cases.RatingsExcluded,
		Name:            r.OrgName, Listings: r.Catalog.Listings, Online: pct(r.Catalog.OnlineRate),
		FullyOnline: pct(r.Catalog.FullyOnline), Instant: pct(r.Catalog.InstantRate), Compression: pct(r.Catalog.Compression),
		Submitted: r.Cases.Submitted, Closed: r.Cases.Closed, OneWindow: pct(r.Cases.OneWindowRate),
		OnTime: pct(r.Cases.OnTimeRate), Visits: visits, OneTrip: pct(r.Cases.OneTripRate),
		MaterialsSaved: pct(r.Cases.MaterialsSaved), NoSubmit: pct(r.Cases.NoSubmitRate),
		NoSubmitKinds: "证照 " + pct(r.Cases.NoSubmitByKind.License) + " · 材料库 " + pct(r.Cases.NoSubmitByKind.Library) +
			" · 共享 " + pct(r.Cases.NoSubmitByKind.Shared)}
}

// dashboard is the measures for f, through the shared Dashboards when wired.
func (w *Web) dashboard(ctx context.Context, f tongban.RollupFilter) (*stats.Dashboard, error) {
	if w.Dashboards != nil {
		return w.Dashboards.Get(ctx, f)
	}
	return stats.Compute(ctx, w.Store, f)
}
