package workflow

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban"
)

// checkMaterials validates what an applicant hands in against the listing:
// known keys, once each, a status the applicant may choose, and 告知承诺 only
// where the listing allows it and for proofs (证明), which are what a
// commitment can stand in for. Names come from the listing.
func checkMaterials(l *tongban.Listing, in []tongban.CaseMaterial) ([]tongban.CaseMaterial, error) {
	out := make([]tongban.CaseMaterial, 0, len(in))
	seen := map[string]bool{}
	for i, m := range in {
		// The field's name is built only for an error: most input has none.
		field := func(part string) string { return fmt.Sprintf("materials[%d].%s", i, part) }
		m.Key = strings.TrimSpace(m.Key)
		lm, ok := l.Material(m.Key)
		switch {
		case !ok:
			return nil, tongban.FieldError(field("key"), "材料「%s」不在该事项的材料清单中", m.Key)
		case seen[m.Key]:
			return nil, tongban.FieldError(field("key"), "材料「%s」重复提交", lm.Name)
		}
		seen[m.Key] = true
		if m.Status == "" {
			m.Status = tongban.MaterialProvided
		}
		switch {
		case !m.Status.Valid():
			return nil, tongban.FieldError(field("status"), "材料状态无效：%s", m.Status)
		case m.Status == tongban.MaterialOwed:
			return nil, tongban.FieldError(field("status"), "容缺由窗口受理时确定，申请时不能选择")
		case m.Status == tongban.MaterialCommitment && !l.Flags.Commitment:
			return nil, tongban.FieldError(field("status"), "该事项未实行告知承诺制，「%s」须提交", lm.Name)
		case m.Status == tongban.MaterialCommitment && lm.Type != tongban.MaterialCertificate:
			return nil, tongban.FieldError(field("status"), "「%s」不是证明材料，不能以告知承诺代替", lm.Name)
		}
		m.Name = lm.Name
		m.Ref = nil         // only a resolver sets a reference (see resolveMaterials)
		m.Confirmed = false // only staff confirm (see ConfirmMaterials)
		if m.Status.RefKind() == "" {
			m.Claim = ""
		}
		out = append(out, m)
	}
	return out, nil
}

// hasCommitment reports whether a commitment replaced any proof.
func hasCommitment(ms []tongban.CaseMaterial) bool {
	for _, m := range ms {
		if m.Status == tongban.MaterialCommitment {
			return true
		}
	}
	return false
}

// missingRequired lists the listing's required materials the case lacks,
// not counting those in owed. Conditional materials (依情形) depend on the
// applicant's answers, which the catalog's situation rules resolve before
// submission, so they are not demanded here.
func missingRequired(l *tongban.Listing, c *tongban.Case, owed map[string]bool) []tongban.Material {
	var out []tongban.Material
	for _, lm := range l.Materials {
		if lm.Required != tongban.MaterialRequired || owed[lm.Key] {
			continue
		}
		if _, ok := c.Material(lm.Key); !ok {
			out = append(out, lm)
		}
	}
	return out
}

// checkOwed validates a clerk's 容缺 list: the listing must allow 容缺受理
// and each material must be marked 容缺-able (never a key material).
func checkOwed(l *tongban.Listing, c *tongban.Case, keys []string) (map[string]bool, error) {
	owed := map[string]bool{}
	for i, k := range keys {
		field := fmt.Sprintf("owed[%d]", i)
		k = strings.TrimSpace(k)
		lm, ok := l.Material(k)
		switch {
		case !l.Flags.TolerantAcceptance:
			return nil, tongban.FieldError("owed", "该事项未实行容缺受理")
		case !ok:
			return nil, tongban.FieldError(field, "材料「%s」不在该事项的材料清单中", k)
		case !lm.Tolerant:
			return nil, tongban.FieldError(field, "「%s」是核心材料，不能容缺", lm.Name)
		}
		if m, ok := c.Material(k); ok && m.Status != tongban.MaterialOwed {
			return nil, tongban.FieldError(field, "「%s」已提交，无需容缺", lm.Name)
		}
		owed[k] = true
	}
	return owed, nil
}

// setMaterial replaces or adds the case's material with m's key.
func setMaterial(c *tongban.Case, m tongban.CaseMaterial) {
	for i := range c.Materials {
		if c.Materials[i].Key == m.Key {
			c.Materials[i] = m
			return
		}
	}
	c.Materials = append(c.Materials, m)
}

func names(ms []tongban.Material) string {
	var s []string
	for _, m := range ms {
		s = append(s, "「"+m.Name+"」")
	}
	return strings.Join(s, "")
}

func keysOf(ms []tongban.CaseMaterial) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Key)
	}
	return out
}
