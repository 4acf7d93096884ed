package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/identity"
)

// /console/bundles is the staff's view of 一件事: the applications the
// person's department leads, each whole (parent and sub-cases), and for
// supervisors every bundle's measures — promised against actual days,
// trips, materials asked against one by one — with the open applications'
// deadlines and the departments holding them up.

type consoleBundlesPage struct {
	Base
	Led       []ledBundleCase
	Supervise bool
	Measures  []*bundle.Measures
}

type ledBundleCase struct {
	Number, Bundle, Applicant, State, DueDate string
	HeldBy                                    []string
}

func (w *Web) consoleBundles(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.staff(r, identity.PermConsole)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := consoleBundlesPage{Base: w.base(rw, r, "一件事办件"), Supervise: w.Identity.Require(u, identity.PermSupervise) == nil}
	seen := map[int64]bool{}
	for _, g := range u.Roles {
		if seen[g.OrgID] {
			continue
		}
		seen[g.OrgID] = true
		bcs, err := w.Store.BundleCases(ctx, tongban.BundleCaseFilter{LeadOrgID: g.OrgID, Limit: 200})
		if err != nil {
			return err
		}
		for _, bc := range bcs {
			v, err := w.Bundles.View(ctx, bc)
			if err != nil {
				return err
			}
			p.Led = append(p.Led, ledBundleCase{Number: bc.Number, Bundle: bc.BundleName, Applicant: tongban.MaskName(bc.ApplicantName),
				State: v.StateLabel, DueDate: v.DueDate, HeldBy: v.HeldBy})
		}
	}
	if p.Supervise {
		bs, err := w.publishedBundles(ctx)
		if err != nil {
			return err
		}
		for _, b := range bs {
			m, err := w.Bundles.Measure(ctx, u, w.Calendar, b.ID)
			if err != nil {
				return err
			}
			p.Measures = append(p.Measures, m)
		}
	}
	return w.render(rw, r, http.StatusOK, "console_bundles", p)
}
