package bundle

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
)

// Split checks the merged form against every applicable component's rules
// and returns each component's own form (field key → value), without the
// fields filled later from a prerequisite's result. A value failing one
// component's rule is an error naming the component and the field.
func Split(b *tongban.Bundle, cl *Checklist, form json.RawMessage) (map[string]map[string]string, error) {
	var in map[string]any
	if len(form) > 0 {
		if err := json.Unmarshal(form, &in); err != nil {
			return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
		}
	}
	values := map[string]string{}
	for k, v := range in {
		f, ok := fieldOf(b, k)
		if !ok {
			return nil, tongban.FieldError("form."+k, "申请表没有字段「%s」", k)
		}
		s, ok := fieldValue(v)
		if !ok {
			return nil, tongban.FieldError("form."+k, "「%s」应为文字或数字", f.Label)
		}
		values[k] = s
	}
	out := map[string]map[string]string{}
	for _, c := range cl.Components {
		out[c.Key] = map[string]string{}
	}
	for _, f := range b.Fields {
		v := values[f.Key]
		for _, m := range f.Maps {
			if !cl.Applies(m.Component) {
				continue
			}
			c, _ := b.Component(m.Component)
			cf, _ := c.Field(m.Field)
			if msg := checkValue(cf, v); msg != "" {
				return nil, tongban.FieldError("form."+f.Key, "「%s」：%s%s", componentName(c), cf.Label, msg)
			}
			if v != "" {
				out[c.Key][cf.Key] = v
			}
		}
	}
	return out, nil
}

func fieldOf(b *tongban.Bundle, key string) (tongban.BundleField, bool) {
	for _, f := range b.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return tongban.BundleField{}, false
}

// checkValue returns what is wrong with v under the field's rule, or "".
func checkValue(f tongban.ComponentField, v string) string {
	if v == "" {
		if f.Required {
			return "不能为空"
		}
		return ""
	}
	if f.MaxLen > 0 && utf8.RuneCountInString(v) > f.MaxLen {
		return "不能超过" + strconv.Itoa(f.MaxLen) + "个字"
	}
	switch f.Kind {
	case tongban.FieldNumber:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return "应为数字"
		}
		if f.Min != nil && n < *f.Min {
			return "不能小于" + strconv.FormatFloat(*f.Min, 'f', -1, 64)
		}
		if f.Max != nil && n > *f.Max {
			return "不能大于" + strconv.FormatFloat(*f.Max, 'f', -1, 64)
		}
	case tongban.FieldDate:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "应为日期，格式如 2026-03-02"
		}
	case tongban.FieldIDNumber:
		if _, err := tongban.ParseIDNumber(v); err != nil {
			return "不是有效的居民身份证号"
		}
	case tongban.FieldPhone:
		if _, err := tongban.ParsePhone(v); err != nil {
			return "不是有效的电话号码"
		}
	}
	return ""
}
