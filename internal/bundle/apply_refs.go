package bundle

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// waitingClaims are the references a waiting component's materials
// claim: resolved in the application's transaction under its reserved
// number, kept with the sub-case, carried when it starts (follow.go).
type waitingClaims struct {
	sub    *tongban.SubCase
	comp   *tongban.BundleComponent
	claims *workflow.Claims
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
