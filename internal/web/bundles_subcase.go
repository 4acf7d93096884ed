package web

import (
	"context"

	"github.com/tongban/tongban"
)

// A case that is a sub-case of a 一件事 says so on its page: the bundle and
// its parent, which of its form fields came from the merged form (asked
// once, feeding every component), and which of its materials the applicant
// handed over once for several departments.

type caseBundleView struct {
	Lang      Lang
	Name      string // the bundle's
	Number    string // the parent's
	Link      string // the parent's page for the viewer
	Component string
	Lead      bool // this sub-case's department leads the bundle
	Fields    []caseBundleField
	Shared    []caseBundleShared
}

type caseBundleField struct {
	Merged, Label string // the merged form's label, this component's label
	FromResult    string // or the prerequisite whose result number fills it
}

type caseBundleShared struct {
	Name   string
	Others []string // the other components that use the same paper
}

// caseBundle is the bundle view of c, nil when c is no sub-case.
func (w *Web) caseBundle(ctx context.Context, l Lang, c *tongban.Case, staff bool) (*caseBundleView, error) {
	if w.Bundles == nil {
		return nil, nil
	}
	bc, err := w.Store.BundleCaseOf(ctx, c.ID)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	b, cl, err := w.Bundles.ChecklistOf(ctx, bc)
	if err != nil {
		return nil, err
	}
	v := &caseBundleView{Lang: l, Name: bc.BundleName, Number: bc.Number, Link: "/cases/" + bc.Number, Lead: c.OrgID == bc.LeadOrgID}
	if staff {
		v.Link = "/console/bundle-cases/" + bc.Number
	}
	var key string
	for _, sc := range bc.Subs {
		if sc.CaseID == c.ID {
			key, v.Component = sc.Component, sc.Name
		}
	}
	comp, ok := b.Component(key)
	if !ok {
		return v, nil
	}
	for _, cf := range comp.Fields {
		f := caseBundleField{Label: cf.Label}
		if cf.FromResult != "" {
			if pre, ok := b.Component(cf.FromResult); ok {
				f.FromResult = pre.Name
			}
		}
		for _, bf := range b.Fields {
			for _, m := range bf.Maps {
				if m.Component == key && m.Field == cf.Key {
					f.Merged = bf.Label
				}
			}
		}
		v.Fields = append(v.Fields, f)
	}
	for _, n := range cl.Materials {
		if _, mine := n.ByListing[key]; !mine || len(n.Components) < 2 {
			continue
		}
		s := caseBundleShared{Name: n.Name}
		for _, other := range n.Components {
			if other != comp.Name {
				s.Others = append(s.Others, other)
			}
		}
		v.Shared = append(v.Shared, s)
	}
	return v, nil
}
