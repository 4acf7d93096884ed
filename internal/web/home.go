package web

import (
	"net/http"

	"github.com/tongban/tongban"
)

type homePage struct {
	Base
	Districts   []*tongban.Region
	Departments int
	Halls       []*tongban.Org
	Windows     int
	// BundleGroups are the published 一件事 by life event.
	BundleGroups []bundleHitGroup
}

func (w *Web) home(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	orgs, err := w.Store.Orgs(ctx, tongban.OrgFilter{})
	if err != nil {
		return err
	}
	regions, err := w.Store.Regions(ctx, "")
	if err != nil {
		return err
	}
	p := homePage{Base: w.base(rw, r, ""), BundleGroups: groupBundleHits(w.Search.AllBundles())} // the layout adds the site name
	for _, reg := range regions {
		if reg.Level == tongban.LevelCounty {
			p.Districts = append(p.Districts, reg)
		}
	}
	for _, o := range orgs {
		switch o.Kind {
		case tongban.OrgDepartment:
			p.Departments++
		case tongban.OrgHall:
			p.Halls = append(p.Halls, o)
		case tongban.OrgWindow:
			p.Windows++
		}
	}
	return w.render(rw, r, http.StatusOK, "home", p)
}
