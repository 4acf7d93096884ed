package catalog

import (
	"context"
	"sort"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// ReportFilter chooses the listings of a report.
type ReportFilter struct {
	Region string // region code: this region and below; "" = all
	OrgID  int64
	Status tongban.ListingStatus // "" = every status but withdrawn
}

// QualityReport is 清单质检 over many listings: totals, counts per rule, and
// each listing that has issues.
type QualityReport struct {
	Listings     int            `json:"listings"` // listings checked
	Publishable  int            `json:"publishable"`
	WithErrors   int            `json:"with_errors"`
	WithWarnings int            `json:"with_warnings"`
	ByRule       map[string]int `json:"by_rule"` // listings failing each rule
	Entries      []QualityEntry `json:"entries"`
}

// QualityEntry is one listing's issues.
type QualityEntry struct {
	ListingID  int64                 `json:"listing_id"`
	Code       string                `json:"code"`
	Name       string                `json:"name"`
	OrgName    string                `json:"org_name"`
	RegionCode string                `json:"region_code"`
	Status     tongban.ListingStatus `json:"status"`
	Version    int                   `json:"version"`
	Errors     int                   `json:"errors"`
	Warnings   int                   `json:"warnings"`
	Issues     []Issue               `json:"issues"`
}

// CheckReport runs the quality check over every listing the actor may edit
// within the filter.
func (s *Service) CheckReport(ctx context.Context, r identity.Request, f ReportFilter) (*QualityReport, error) {
	scope, err := s.editScope(ctx, r)
	if err != nil {
		return nil, err
	}
	items := itemCache{st: s.Store, m: map[int64]*tongban.Item{}}
	types := newLicenseTypes(s.Store)
	rep := &QualityReport{ByRule: map[string]int{}, Entries: []QualityEntry{}}
	err = eachListing(ctx, s.Store, tongban.ListingFilter{Region: f.Region, OrgID: f.OrgID, Status: f.Status}, func(l *tongban.Listing) error {
		if (f.Status == "" && l.Status == tongban.ListingWithdrawn) || !scope(l.OrgID) {
			return nil
		}
		item, err := items.get(ctx, l.ItemID)
		if err != nil {
			return err
		}
		c, err := types.checkStored(ctx, *item, *l)
		if err != nil {
			return err
		}
		rep.Listings++
		e := QualityEntry{ListingID: l.ID, Code: l.Code, Name: l.Name, OrgName: l.OrgName, RegionCode: l.RegionCode,
			Status: l.Status, Version: l.Version, Issues: c.Issues}
		rules := map[string]bool{}
		for _, i := range c.Issues {
			if i.Severity == SeverityError {
				e.Errors++
			} else {
				e.Warnings++
			}
			rules[i.Rule] = true
		}
		for rule := range rules {
			rep.ByRule[rule]++
		}
		switch {
		case e.Errors > 0:
			rep.WithErrors++
		case e.Warnings > 0:
			rep.WithWarnings++
		}
		if e.Errors == 0 {
			rep.Publishable++
		}
		if len(c.Issues) > 0 {
			rep.Entries = append(rep.Entries, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// editScope returns which orgs' listings the actor may edit; the system
// (nil actor) may edit all. Answers are cached: a report asks per listing.
func (s *Service) editScope(ctx context.Context, r identity.Request) (func(orgID int64) bool, error) {
	if r.Actor == nil {
		return func(int64) bool { return true }, nil
	}
	if err := s.authz(s.Store).Require(r.Actor, identity.PermCatalogEdit); err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	return func(orgID int64) bool {
		ok, done := seen[orgID]
		if !done {
			ok = s.canEdit(ctx, r.Actor, orgID)
			seen[orgID] = ok
		}
		return ok
	}, nil
}

type itemCache struct {
	st tongban.Store
	m  map[int64]*tongban.Item
}

func (c itemCache) get(ctx context.Context, id int64) (*tongban.Item, error) {
	if it, ok := c.m[id]; ok {
		return it, nil
	}
	it, err := c.st.Item(ctx, id)
	if err != nil {
		return nil, err
	}
	c.m[id] = it
	return it, nil
}

// ListingRef names a listing in a report.
type ListingRef struct {
	ID         int64                 `json:"id"`
	Code       string                `json:"code"`
	Name       string                `json:"name"`
	OrgName    string                `json:"org_name"`
	RegionCode string                `json:"region_code"`
	Status     tongban.ListingStatus `json:"status"`
}

func refOf(l *tongban.Listing) ListingRef {
	return ListingRef{ID: l.ID, Code: l.Code, Name: l.Name, OrgName: l.OrgName, RegionCode: l.RegionCode, Status: l.Status}
}

// ItemConsistency is 三统一 for one item in one city: the city standard and
// how each district's listing departs from it.
type ItemConsistency struct {
	ItemCode    string       `json:"item_code"`
	ItemName    string       `json:"item_name"`
	City        string       `json:"city"`               // region code of the city
	Standard    *ListingRef  `json:"standard,omitempty"` // nil: the city has no listing of the item
	Listings    []ListingRef `json:"listings"`           // the district listings compared, in Difference.Index order
	Aligned     int          `json:"aligned"`            // listings without any difference
	Differences []Difference `json:"differences"`
}

// ConsistencyReport compares, for one item (itemCode) or every item (""),
// each district listing with the city standard: the listing of the same item
// at the city level (a region code ending in 00000000), published preferred.
// Withdrawn listings are left out. Items without district listings are not
// reported, except the one asked for.
func (s *Service) ConsistencyReport(ctx context.Context, r identity.Request, itemCode, region string) ([]ItemConsistency, error) {
	if r.Actor != nil {
		if err := s.authz(s.Store).Require(r.Actor, identity.PermCatalogEdit); err != nil {
			return nil, err
		}
	}
	f := tongban.ListingFilter{Region: region}
	if itemCode != "" {
		it, err := s.Store.ItemByCode(ctx, itemCode)
		if err != nil {
			return nil, err
		}
		f.ItemID = it.ID
	}
	type key struct {
		item int64
		city string
	}
	groups := map[key][]*tongban.Listing{}
	var order []key
	err := eachListing(ctx, s.Store, f, func(l *tongban.Listing) error {
		if l.Status == tongban.ListingWithdrawn || len(l.RegionCode) != 12 {
			return nil
		}
		k := key{l.ItemID, l.RegionCode[:4] + "00000000"}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], l)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].item != order[j].item {
			return order[i].item < order[j].item
		}
		return order[i].city < order[j].city
	})
	items := itemCache{st: s.Store, m: map[int64]*tongban.Item{}}
	out := []ItemConsistency{}
	for _, k := range order {
		var std *tongban.Listing
		var others []*tongban.Listing
		for _, l := range groups[k] {
			if tongban.RegionCodeLevel(l.RegionCode) != tongban.LevelCity {
				others = append(others, l)
			} else if std == nil || (l.Status == tongban.ListingPublished && std.Status != tongban.ListingPublished) {
				std = l
			}
		}
		if len(others) == 0 && itemCode == "" {
			continue
		}
		item, err := items.get(ctx, k.item)
		if err != nil {
			return nil, err
		}
		ic := ItemConsistency{ItemCode: item.Code, ItemName: item.Name, City: k.city,
			Listings: []ListingRef{}, Differences: []Difference{}}
		for _, l := range others {
			ic.Listings = append(ic.Listings, refOf(l))
		}
		if std != nil {
			ref := refOf(std)
			ic.Standard = &ref
			vals := make([]tongban.Listing, len(others))
			for i, l := range others {
				vals[i] = *l
			}
			ic.Differences = append(ic.Differences, Compare(*std, vals)...)
			differs := map[int]bool{}
			for _, d := range ic.Differences {
				differs[d.Index] = true
			}
			ic.Aligned = len(others) - len(differs)
		}
		out = append(out, ic)
	}
	return out, nil
}
