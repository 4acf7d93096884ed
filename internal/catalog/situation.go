package catalog

import (
	"fmt"
	"slices"

	"github.com/tongban/tongban"
)

// Tailor asks a listing's situations with the applicant's answers (situation
// key → answer key or label) and returns the materials and conditions that
// apply to this applicant.
//
// The base list is every required and optional material; 依情形 materials
// appear only when an answer adds them, and then as required. A situation
// whose DependsOn answer was not chosen is not asked and any answer given for
// it is ignored (it may be left over from an earlier choice in a form). Every
// asked situation must be answered. A replace whose target is not in the list
// still adds the replacement, so an applicant is never left without a
// material the listing meant to ask for.
func Tailor(l tongban.Listing, answers map[string]string) (materials []tongban.Material, conditions []string, err error) {
	for i, s := range l.Situations {
		if errs := s.Problems(); len(errs) > 0 {
			e := errs[0]
			return nil, nil, tongban.FieldError(fmt.Sprintf("situations[%d].%s", i, e.Field), "%s", e.Message)
		}
	}
	if errs := situationProblems(l); len(errs) > 0 {
		return nil, nil, errs[0]
	}
	known := map[string]bool{}
	for _, s := range l.Situations {
		known[s.Key] = true
	}
	for _, k := range sortedKeys(answers) {
		if !known[k] {
			return nil, nil, tongban.FieldError("answers."+k, "没有编号为“%s”的情形", k)
		}
	}

	for _, m := range l.Materials {
		if m.Required != tongban.MaterialConditional {
			materials = append(materials, m)
		}
	}
	conditions = slices.Clone(l.Conditions)
	chosen := map[string]string{}
	for _, s := range l.Situations {
		if s.DependsOn != nil && chosen[s.DependsOn.Situation] != s.DependsOn.Answer {
			continue
		}
		given, ok := answers[s.Key]
		if !ok {
			return nil, nil, tongban.FieldError("answers."+s.Key, "请回答情形“%s”", s.Question)
		}
		a, ok := findAnswer(s, given)
		if !ok {
			return nil, nil, tongban.FieldError("answers."+s.Key, "情形“%s”没有答案“%s”", s.Question, given)
		}
		chosen[s.Key] = a.Key
		for _, e := range a.Effects {
			materials, conditions = apply(l, e, materials, conditions)
		}
	}
	return materials, conditions, nil
}

func findAnswer(s tongban.Situation, given string) (tongban.Answer, bool) {
	for _, a := range s.Answers {
		if a.Key == given {
			return a, true
		}
	}
	for _, a := range s.Answers {
		if a.Label == given {
			return a, true
		}
	}
	return tongban.Answer{}, false
}

// apply performs one effect; references were checked by situationProblems.
func apply(l tongban.Listing, e tongban.Effect, ms []tongban.Material, conds []string) ([]tongban.Material, []string) {
	index := func(key string) int {
		return slices.IndexFunc(ms, func(m tongban.Material) bool { return m.Key == key })
	}
	resolve := func(key string, inline *tongban.Material) tongban.Material {
		m := tongban.Material{}
		if inline != nil {
			m = *inline
		} else {
			m, _ = l.Material(key)
		}
		if m.Required == tongban.MaterialConditional {
			m.Required = tongban.MaterialRequired // asked for this applicant
		}
		return m
	}
	switch e.Op {
	case tongban.EffectAdd:
		m := resolve(e.MaterialKey, e.Material)
		if index(m.Key) < 0 {
			ms = append(ms, m)
		}
	case tongban.EffectRemove:
		if i := index(e.MaterialKey); i >= 0 {
			ms = slices.Delete(ms, i, i+1)
		}
	case tongban.EffectReplace:
		m := resolve(e.WithKey, e.Material)
		i, j := index(e.MaterialKey), index(m.Key)
		switch {
		case i >= 0 && j >= 0 && i != j: // the replacement is already there: just drop the target
			ms = slices.Delete(ms, i, i+1)
		case i >= 0:
			ms[i] = m
		case j < 0:
			ms = append(ms, m)
		}
	case tongban.EffectCondition:
		if !slices.Contains(conds, e.Condition) {
			conds = append(conds, e.Condition)
		}
	}
	return ms, conds
}

// situationProblems finds references that lead nowhere: a DependsOn that is
// not an answer of an earlier situation, and effects naming a material the
// listing does not have. The quality check reports them as
// situation_reachable; Tailor refuses to run on them.
func situationProblems(l tongban.Listing) []*tongban.Error {
	var errs []*tongban.Error
	materials := map[string]bool{}
	for _, m := range l.Materials {
		materials[m.Key] = true
	}
	earlier := map[string]tongban.Situation{}
	for i, s := range l.Situations {
		p := fmt.Sprintf("situations[%d]", i)
		if d := s.DependsOn; d != nil {
			dep, ok := earlier[d.Situation]
			switch {
			case !ok:
				errs = append(errs, tongban.FieldError(p+".depends_on",
					"情形“%s”的显示条件指向不存在或在其后的情形“%s”", s.Question, d.Situation))
			case !slices.ContainsFunc(dep.Answers, func(a tongban.Answer) bool { return a.Key == d.Answer }):
				errs = append(errs, tongban.FieldError(p+".depends_on",
					"情形“%s”的显示条件指向情形“%s”不存在的答案“%s”", s.Question, dep.Question, d.Answer))
			}
		}
		if len(s.Answers) == 0 {
			errs = append(errs, tongban.FieldError(p+".answers", "情形“%s”没有答案，无法作答", s.Question))
		}
		for j, a := range s.Answers {
			for k, e := range a.Effects {
				q := fmt.Sprintf("%s.answers[%d].effects[%d]", p, j, k)
				check := func(field, key string, inline *tongban.Material) {
					if inline == nil && key != "" && !materials[key] {
						errs = append(errs, tongban.FieldError(q+"."+field,
							"情形“%s”的答案“%s”引用了不存在的材料“%s”", s.Question, a.Label, key))
					}
				}
				switch e.Op {
				case tongban.EffectAdd:
					check("material_key", e.MaterialKey, e.Material)
				case tongban.EffectRemove:
					check("material_key", e.MaterialKey, nil)
				case tongban.EffectReplace:
					check("material_key", e.MaterialKey, nil)
					check("with_key", e.WithKey, e.Material)
				}
			}
		}
		earlier[s.Key] = s
	}
	return errs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
