package exchange

import (
	"context"
	"sort"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/stats"
)

// ListingSpared is one listing's 免提交率 over a period: materials asked at
// submission, and how many a resolved reference spared, by kind.
type ListingSpared struct {
	ListingID int64       `json:"listing_id"`
	Name      string      `json:"name"`
	OrgName   string      `json:"org_name"`
	Submitted int64       `json:"submitted"`
	Asked     int64       `json:"materials_asked"`
	ByLicense int64       `json:"by_license"`
	ByLibrary int64       `json:"by_library"`
	ByShared  int64       `json:"by_shared"`
	Rate      stats.Ratio `json:"no_submit_rate"`
}

// Reports are the exchange's reports: 免提交率 by listing, for supervisors
// and catalog admins, and the materials that could be spared, for catalog
// admins.
type Reports struct {
	Store tongban.Store
	// Licenses says whether an e-licence type exists; nil trusts the
	// standard materials' licence types.
	Licenses LicenseTypes
}

func (rp *Reports) require(r identity.Request, p identity.Permission) error {
	if r.Actor == nil {
		return tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	return identity.Authorizer{Orgs: rp.Store}.Require(r.Actor, p)
}

// NoSubmit is 免提交率 by listing for the rollups matching f, the listings
// with the most materials asked first. It reads the rollups, not the
// cases: the measures are a function of the case events.
// Supervisors see the regions and departments they supervise (stats.Scope).
func (rp *Reports) NoSubmit(ctx context.Context, r identity.Request, f tongban.RollupFilter) ([]ListingSpared, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	f, err := stats.Scope(ctx, rp.Store, r.Actor, f)
	if err != nil {
		return nil, err
	}
	st := rp.Store
	sums, err := st.SumRollupsByListing(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []ListingSpared
	for id, c := range sums {
		if c.MaterialsAsked == 0 {
			continue
		}
		row := ListingSpared{ListingID: id, Submitted: c.Submitted, Asked: c.MaterialsAsked, ByLicense: c.MaterialsByLicense,
			ByLibrary: c.MaterialsByLibrary, ByShared: c.MaterialsByShared}
		row.Rate = stats.Cases(c).NoSubmitRate
		if l, err := st.Listing(ctx, id); err == nil {
			row.Name, row.OrgName = l.Name, l.OrgName
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return nil, err
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Asked != out[j].Asked {
			return out[i].Asked > out[j].Asked
		}
		return out[i].ListingID < out[j].ListingID
	})
	return out, nil
}

// Sparable is a published listing's material that need not be asked of
// applicants — a shared-data resource or an e-licence type stands for its
// standard material — but that the listing still tells them to bring.
type Sparable struct {
	ListingID int64         `json:"listing_id"`
	Listing   string        `json:"listing"`
	OrgName   string        `json:"org_name"`
	Region    string        `json:"region_code"`
	Key       string        `json:"key"`
	Material  string        `json:"material"`
	Standard  string        `json:"standard"`
	Source    string        `json:"source"` // how the listing says it is obtained now
	By        []SpareSource `json:"by"`     // what could stand in for it
}

// SpareSource is what could stand in for a material: a shared-data
// resource (its name, owner and share condition) or an e-licence type.
// Kept apart, not as one sentence, so each page words it in its language.
type SpareSource struct {
	Kind        tongban.MaterialStatus `json:"kind"` // shared or e_license
	Resource    string                 `json:"resource,omitempty"`
	OrgName     string                 `json:"org_name,omitempty"`
	Share       string                 `json:"share,omitempty"` // 无条件共享, 有条件共享
	LicenseType string                 `json:"license_type,omitempty"`
}

// String words the source in Chinese, as the reports print it.
func (s SpareSource) String() string {
	if s.Kind == tongban.MaterialELicense {
		return "电子证照（证照类型 " + s.LicenseType + "）"
	}
	return "共享数据「" + s.Resource + "」（" + s.OrgName + "，" + s.Share + "）"
}

// LicenseTypes reports whether an e-licence type exists; the licence
// store implements it. Nil treats a standard material's licence type as
// existing.
type LicenseTypes interface {
	LicenseTypeExists(ctx context.Context, code string) (bool, error)
}

// Sparable lists, for catalog admins, the published listings'
// materials that could be spared (免提交) but are asked of applicants: their
// standard material has a shared resource (无条件 or 有条件) or an e-licence
// type, while the listing's source is the applicant (申请人自备), an
// intermediary or unset. A listing in the region (and below; "" = all).
func (rp *Reports) Sparable(ctx context.Context, r identity.Request, region string) ([]Sparable, error) {
	if err := rp.require(r, identity.PermCatalogEdit); err != nil {
		return nil, err
	}
	st, types := rp.Store, rp.Licenses
	resources, err := st.DataResources(ctx)
	if err != nil {
		return nil, err
	}
	standards, err := st.StandardMaterials(ctx)
	if err != nil {
		return nil, err
	}
	by := map[string][]SpareSource{}
	for _, r := range resources {
		if r.Share == tongban.ShareNone {
			continue
		}
		for _, code := range r.Standards {
			by[code] = append(by[code], SpareSource{Kind: tongban.MaterialShared, Resource: r.Name, OrgName: r.OrgName, Share: r.Share.Label()})
		}
	}
	names := map[string]string{}
	for _, s := range standards {
		names[s.Code] = s.Name
		if s.LicenseType == "" {
			continue
		}
		exists := true
		if types != nil {
			if exists, err = types.LicenseTypeExists(ctx, s.LicenseType); err != nil {
				return nil, err
			}
		}
		if exists {
			by[s.Code] = append(by[s.Code], SpareSource{Kind: tongban.MaterialELicense, LicenseType: s.LicenseType})
		}
	}
	var out []Sparable
	f := tongban.ListingFilter{Region: region, Status: tongban.ListingPublished, ByID: true, Limit: 1000}
	for {
		page, err := st.Listings(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, l := range page {
			for _, m := range l.Materials {
				if len(by[m.Standard]) == 0 || m.Source == tongban.SourceShared || m.Source == tongban.SourceELicense {
					continue
				}
				src := m.Source.Label()
				if src == "" {
					src = "未填写"
				}
				out = append(out, Sparable{ListingID: l.ID, Listing: l.Name, OrgName: l.OrgName, Region: l.RegionCode,
					Key: m.Key, Material: m.Name, Standard: m.Standard + " " + names[m.Standard], Source: src, By: by[m.Standard]})
			}
		}
		if len(page) < f.Limit {
			return out, nil
		}
		f.AfterID = page[len(page)-1].ID
	}
}
