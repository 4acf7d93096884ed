package bundle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tongban/tongban"
)

// Need is one line of the bundle's single material list (一次性告知): a
// paper asked once and shared by every component that needs it. Key is its
// standard material code, or component/material for a paper only one
// component asks.
type Need struct {
	Key        string            `json:"key"`
	Name       string            `json:"name"`
	Standard   string            `json:"standard,omitempty"`
	Form       string            `json:"form,omitempty"`
	Components []string          `json:"components"` // component names
	ByListing  map[string]string `json:"-"`          // component key → the listing's material key
}

// Checklist is what a bundle asks of one applicant, given their answers:
// the components that apply, the one material list, the promised time.
type Checklist struct {
	Components   []*tongban.BundleComponent `json:"components"`
	Materials    []Need                     `json:"materials"`
	PromisedDays int                        `json:"promised_days"`
	Departments  []string                   `json:"departments"`
	// Separately is how many materials the components would ask if each
	// were applied for on its own (the 只提交一次 saving is the difference).
	Separately int `json:"separately"`
	// fromResult: component → standard code → the listing's material key
	// of a paper a prerequisite's result provides.
	fromResult map[string]map[string]string
}

// Applies reports whether the component applies under the answers.
func Applies(c *tongban.BundleComponent, answers map[string]string) bool {
	for _, w := range c.When {
		if answers[w.Situation] != w.Answer {
			return false
		}
	}
	return true
}

// CheckAnswers requires one known answer to every situation question.
func CheckAnswers(b *tongban.Bundle, answers map[string]string) error {
	for k := range answers {
		if !slices.ContainsFunc(b.Situations, func(s tongban.BundleSituation) bool { return s.Key == k }) {
			return tongban.FieldError("answers."+k, "没有情形「%s」", k)
		}
	}
	for _, s := range b.Situations {
		a, ok := answers[s.Key]
		if !ok || a == "" {
			return tongban.FieldError("answers."+s.Key, "请回答「%s」", s.Question)
		}
		if !slices.ContainsFunc(s.Answers, func(x tongban.BundleAnswer) bool { return x.Key == a }) {
			return tongban.FieldError("answers."+s.Key, "「%s」的答案无效：%s", s.Question, a)
		}
	}
	return nil
}

// Tailor answers the situation questions: the components that apply and
// their merged material list. Answers selecting no component are an error.
func Tailor(b *tongban.Bundle, ls Listings, answers map[string]string) (*Checklist, error) {
	if err := CheckAnswers(b, answers); err != nil {
		return nil, err
	}
	cl := &Checklist{fromResult: map[string]map[string]string{}}
	only := map[string]bool{}
	for i := range b.Components {
		c := &b.Components[i]
		if Applies(c, answers) {
			cl.Components = append(cl.Components, c)
			only[c.Key] = true
		}
	}
	if len(cl.Components) == 0 {
		return nil, tongban.FieldError("answers", "按所选情形，本一件事没有需要办理的事项，请检查答案")
	}
	index := map[string]int{}
	depts := map[string]bool{}
	results := map[string]string{} // standard code → the applicable component whose result it is
	for _, c := range cl.Components {
		if c.ResultStandard != "" {
			results[c.ResultStandard] = c.Key
		}
	}
	for _, c := range cl.Components {
		if !depts[c.OrgName] {
			depts[c.OrgName] = true
			cl.Departments = append(cl.Departments, c.OrgName)
		}
		l := ls[c.Key]
		if l == nil {
			return nil, tongban.Errorf(tongban.EConflict, "「%s」的实施清单不可用", componentName(c))
		}
		ms, err := asked(c, l)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			cl.Separately++
			if from := results[m.Standard]; m.Standard != "" && from != "" && from != c.Key {
				// The prerequisite's result is this paper.
				if cl.fromResult[c.Key] == nil {
					cl.fromResult[c.Key] = map[string]string{}
				}
				cl.fromResult[c.Key][m.Standard] = m.Key
				continue
			}
			key := m.Standard
			if key == "" {
				key = c.Key + "/" + m.Key
			}
			i, ok := index[key]
			if !ok {
				i = len(cl.Materials)
				index[key] = i
				cl.Materials = append(cl.Materials, Need{Key: key, Name: m.Name, Standard: m.Standard,
					Form: m.Form.Label(), ByListing: map[string]string{}})
			}
			n := &cl.Materials[i]
			n.Components = append(n.Components, componentName(c))
			n.ByListing[c.Key] = m.Key
		}
	}
	cl.PromisedDays = LongestPath(b, only)
	if b.PromisedDays > 0 {
		cl.PromisedDays = min(cl.PromisedDays, b.PromisedDays)
	}
	return cl, nil
}

// Need returns the line with the merged key.
func (cl *Checklist) Need(key string) (*Need, bool) {
	for i := range cl.Materials {
		if cl.Materials[i].Key == key {
			return &cl.Materials[i], true
		}
	}
	return nil, false
}

// Applies reports whether the component key is among the checklist's.
func (cl *Checklist) Applies(key string) bool {
	return slices.ContainsFunc(cl.Components, func(c *tongban.BundleComponent) bool { return c.Key == key })
}

// fieldValue renders a merged form value as text; numbers keep their form.
func fieldValue(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return strings.TrimSpace(x), true
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", x), "0"), "."), true
	case bool:
		return fmt.Sprint(x), true
	}
	return "", false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
