package bundle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
)

// Listings are the current versions of a bundle's component listings, by
// component key; the service reads them before a check.
type Listings map[string]*tongban.Listing

// Quality lists what keeps a bundle from being published: a component
// listing not published, a cycle among prerequisites, a component field no
// merged field fills, a material asked twice (two components ask the same
// paper without a common standard material code), a promise longer than
// the longest path. Structural errors come first.
func Quality(b *tongban.Bundle, ls Listings) []*tongban.Error {
	errs := b.Problems()
	add := func(field, format string, args ...any) {
		errs = append(errs, tongban.FieldError(field, format, args...))
	}
	for i, c := range b.Components {
		l := ls[c.Key]
		switch {
		case l == nil:
			add(fmt.Sprintf("components[%d].listing_code", i), "实施清单「%s」不存在", c.ListingCode)
		case l.Status != tongban.ListingPublished:
			add(fmt.Sprintf("components[%d].listing_code", i), "「%s」当前%s，须先发布", l.Name, l.Status.Label())
		}
	}
	if cyc := cycle(b); cyc != nil {
		add("components", "前置关系存在循环：%s", strings.Join(cyc, " → "))
	}
	mapped := map[tongban.FieldRef]string{}
	for i, f := range b.Fields {
		if len(f.Maps) == 0 {
			add(fmt.Sprintf("fields[%d].maps", i), "「%s」没有对应任何事项的字段", f.Label)
		}
		for j, m := range f.Maps {
			p := fmt.Sprintf("fields[%d].maps[%d]", i, j)
			c, ok := b.Component(m.Component)
			if !ok {
				add(p+".component", "事项「%s」不在本一件事中", m.Component)
				continue
			}
			cf, ok := c.Field(m.Field)
			switch {
			case !ok:
				add(p+".field", "「%s」没有字段「%s」", componentName(c), m.Field)
			case cf.FromResult != "":
				add(p+".field", "「%s」的「%s」取自前置事项的办理结果，不能再由表单填写", componentName(c), cf.Label)
			case cf.Kind != f.Kind:
				add(p+".field", "「%s」的「%s」是%s，表单字段「%s」是%s", componentName(c), cf.Label, cf.Kind.Label(), f.Label, f.Kind.Label())
			case mapped[m] != "":
				add(p+".field", "「%s」的「%s」已由表单字段「%s」填写", componentName(c), cf.Label, mapped[m])
			}
			mapped[m] = f.Label
		}
	}
	for i, c := range b.Components {
		for j, f := range c.Fields {
			p := fmt.Sprintf("components[%d].fields[%d]", i, j)
			if f.FromResult != "" {
				if !contains(c.After, f.FromResult) {
					add(p+".from_result", "「%s」的「%s」取自「%s」的结果，须将其列为前置事项", componentName(&c), f.Label, f.FromResult)
				}
				continue
			}
			if mapped[tongban.FieldRef{Component: c.Key, Field: f.Key}] == "" {
				add(p, "「%s」的字段「%s」没有对应的表单字段", componentName(&c), f.Label)
			}
		}
	}
	errs = append(errs, askedTwice(b, ls)...)
	if cycle(b) == nil && len(ls) == len(b.Components) {
		if longest := LongestPath(b, nil); b.PromisedDays > longest {
			add("promised_days", "承诺时限%d个工作日超过各事项最长办理路径%d个工作日", b.PromisedDays, longest)
		}
	}
	return errs
}

// askedTwice finds papers two components ask under the same name with no
// common standard material code: the merged set would ask them twice.
func askedTwice(b *tongban.Bundle, ls Listings) []*tongban.Error {
	var errs []*tongban.Error
	type seen struct{ component, standard string }
	byName := map[string]seen{}
	results := map[string]bool{}
	for _, c := range b.Components {
		if c.ResultStandard != "" {
			results[c.ResultStandard] = true
		}
	}
	for i, c := range b.Components {
		l := ls[c.Key]
		if l == nil {
			continue
		}
		ms, err := asked(&c, l)
		if err != nil {
			errs = append(errs, tongban.FieldError(fmt.Sprintf("components[%d].listing_answers", i), "%s", tongban.AsError(err).Message))
			continue
		}
		for _, m := range ms {
			if results[m.Standard] && m.Standard != "" {
				continue
			}
			name := strings.TrimSpace(m.Name)
			prev, ok := byName[name]
			if ok && prev.component != c.Key && (prev.standard == "" || prev.standard != m.Standard) {
				errs = append(errs, tongban.FieldError("components", "材料「%s」在「%s」和「%s」中重复要求，须对应同一标准材料编码",
					name, componentName(mustComponent(b, prev.component)), componentName(&c)))
				continue
			}
			if !ok {
				byName[name] = seen{c.Key, m.Standard}
			}
		}
	}
	return errs
}

func mustComponent(b *tongban.Bundle, key string) *tongban.BundleComponent {
	c, _ := b.Component(key)
	return c
}

func componentName(c *tongban.BundleComponent) string {
	if c.Name != "" {
		return c.Name
	}
	return c.Key
}

// asked lists the materials a component asks of every applicant: its
// listing's required ones, and the conditional ones its listing answers
// add (see catalog.Tailor); optional ones are not asked.
func asked(c *tongban.BundleComponent, l *tongban.Listing) ([]tongban.Material, error) {
	ms, _, err := catalog.Tailor(*l, c.ListingAnswers)
	if err != nil {
		e := tongban.AsError(err)
		return nil, tongban.FieldError("listing_answers", "「%s」的情形答案：%s", componentName(c), e.Message)
	}
	var out []tongban.Material
	for _, m := range ms {
		if m.Required != tongban.MaterialOptional {
			out = append(out, m)
		}
	}
	// Acceptance demands every required material of the listing, so one an
	// answer replaced is still asked.
	for _, m := range l.Materials {
		if m.Required == tongban.MaterialRequired && !slices.ContainsFunc(out, func(o tongban.Material) bool { return o.Key == m.Key }) {
			out = append(out, m)
		}
	}
	return out, nil
}

// cycle returns the components of a prerequisite cycle, or nil.
func cycle(b *tongban.Bundle) []string {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var found []string
	var visit func(k string) bool
	visit = func(k string) bool {
		color[k] = grey
		stack = append(stack, k)
		c, ok := b.Component(k)
		if ok {
			for _, a := range c.After {
				if _, ok := b.Component(a); !ok {
					continue
				}
				switch color[a] {
				case grey:
					for i, s := range stack {
						if s == a {
							found = append(append([]string{}, stack[i:]...), a)
						}
					}
					return true
				case white:
					if visit(a) {
						return true
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[k] = black
		return false
	}
	for _, c := range b.Components {
		if color[c.Key] == white && visit(c.Key) {
			names := make([]string, len(found))
			for i, k := range found {
				names[i] = componentName(mustComponent(b, k))
			}
			return names
		}
	}
	return nil
}

// LongestPath is the working days along the longest chain of
// prerequisites among the components in only (all when nil): what the
// bundle can promise at most. The definition must have no cycle.
func LongestPath(b *tongban.Bundle, only map[string]bool) int {
	memo := map[string]int{}
	var days func(k string) int
	days = func(k string) int {
		if d, ok := memo[k]; ok {
			return d
		}
		c, _ := b.Component(k)
		longest := 0
		for _, a := range c.After {
			if _, ok := b.Component(a); ok && (only == nil || only[a]) {
				longest = max(longest, days(a))
			}
		}
		memo[k] = c.PromisedDays + longest
		return memo[k]
	}
	longest := 0
	for _, c := range b.Components {
		if only == nil || only[c.Key] {
			longest = max(longest, days(c.Key))
		}
	}
	return longest
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
