package web

import (
	"testing"

	"github.com/tongban/tongban"
)

// TestFailOnShowsEveryError: an error goes beside its field when the page
// has a place for it, and above the form otherwise; none is dropped.
func TestFailOnShowsEveryError(t *testing.T) {
	t.Parallel()
	shown := []string{"name", "phone"}
	for _, c := range []struct {
		name  string
		err   error
		field string // "" when shown above the form
	}{
		{"a shown field", tongban.FieldError("phone", "请填写电话号码"), "phone"},
		{"a field the page has not", tongban.FieldError("org_id", "机构不存在"), ""},
		{"an indexed field", tongban.FieldError("roles[0].role", "未知角色"), ""},
		{"the body", tongban.FieldError("body", "请求格式不正确"), ""},
		{"no field", tongban.Errorf(tongban.EConflict, "办件已被他人更新"), ""},
	} {
		f := newForm()
		f.failOn(c.err, shown...)
		msg := tongban.AsError(c.err).Message
		if c.field == "" {
			if f.Error != msg || len(f.Errors) != 0 {
				t.Errorf("%s: above the form %q, beside fields %v; want %q above", c.name, f.Error, f.Errors, msg)
			}
			continue
		}
		if f.Errors[c.field] != msg || f.Error != "" || len(f.Errors) != 1 {
			t.Errorf("%s: beside fields %v, above %q; want %q beside %s", c.name, f.Errors, f.Error, msg, c.field)
		}
	}
	// With no field shown, every error is the form's.
	f := newForm()
	f.failOn(tongban.FieldError("method", "送达方式应为 pickup 或 express"))
	if f.Error != "送达方式应为 pickup 或 express" || len(f.Errors) != 0 {
		t.Errorf("no field shown: above %q, beside %v", f.Error, f.Errors)
	}
}
