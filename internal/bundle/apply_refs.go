package bundle

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban"
)

// referencesNow refuses a reference for a material a waiting component
// takes: its sub-case is filed later by the platform, when the applicant's
// consent and chosen reference are no longer at hand, so such a material is
// uploaded (the components that start now would resolve it, the waiting
// one could not).
func referencesNow(c *tongban.BundleComponent, cl *Checklist, given []tongban.CaseMaterial) error {
	for i, m := range given {
		if m.Status.RefKind() == "" {
			continue
		}
		if n, ok := cl.Need(m.Key); ok {
			if _, takes := n.ByListing[c.Key]; takes {
				return tongban.FieldError(fmt.Sprintf("materials[%d].status", i),
					"「%s」也用于须待前置事项办结后才提交的「%s」，请上传文件，不能以%s免提交", n.Name, componentName(c), m.Status.Label())
			}
		}
	}
	return nil
}

// atBundleMaterial renames a sub-case's refusal of one of its materials
// (materials[j].…, j in the component's own list, see materialsFor) to the
// bundle material it came from, so the applicant is told which of the
// materials they handed over is at fault.
func atBundleMaterial(c *tongban.BundleComponent, cl *Checklist, given []tongban.CaseMaterial, err error) error {
	e := tongban.AsError(err)
	var j int
	var rest string
	if !strings.HasPrefix(e.Field, "materials[") {
		return err
	}
	if _, serr := fmt.Sscanf(e.Field, "materials[%d]", &j); serr != nil {
		return err
	}
	rest = e.Field[strings.IndexByte(e.Field, ']')+1:]
	var keys []string // the bundle keys of the component's materials, in materialsFor's order
	for _, n := range cl.Materials {
		if _, ok := n.ByListing[c.Key]; !ok {
			continue
		}
		for _, m := range given {
			if m.Key == n.Key {
				keys = append(keys, n.Key)
			}
		}
	}
	if j < 0 || j >= len(keys) {
		return err
	}
	for i, m := range given {
		if m.Key == keys[j] {
			return &tongban.Error{Code: e.Code, Field: fmt.Sprintf("materials[%d]%s", i, rest), Message: e.Message, Err: e.Err}
		}
	}
	return err
}
