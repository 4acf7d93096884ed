package web

import (
	"strconv"
	"strings"

	"github.com/tongban/tongban"
)

// consoleFieldErrors are the fields beside which each action's form on
// the console's case page shows an error (cases_console.html). A field
// error of any other field is shown above the form instead, so no refusal
// reaches the clerk as a bare 400: the issue form's licence face, for
// one, is refused with errors naming "holder" or "credit_code", which
// have no input of their own.
var consoleFieldErrors = map[string][]string{
	"accept":        {"materials", "owed"},
	"reject":        {"reasons"},
	"review":        {"opinion"},
	"deny":          {"reasons"},
	"special-start": {"kind"},
	"deliver":       {"tracking_no"},
	"correct":       {"items"},
	"issue":         {"result_no"},
}

// showError puts a refused action's error where its form shows it: beside
// the field it names, a correction item's on its material's line, a face
// item's beside that item, anything else above the form.
func (p *consoleCasePage) showError(action string, err error, items []tongban.Deficiency) {
	p.Failed = action
	p.Form.fail(err)
	e := tongban.AsError(err)
	if e.Field == "" || e.Field == "body" {
		return
	}
	if rest, ok := strings.CutPrefix(e.Field, "items["); ok {
		if i, aerr := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)]); aerr == nil && i < len(items) {
			delete(p.Form.Errors, e.Field)
			p.Form.Errors["reason_"+items[i].Key] = e.Message
			return
		}
	}
	if !p.showsFieldError(action, e.Field) {
		delete(p.Form.Errors, e.Field)
		p.Form.Error = e.Message
	}
}

// showsFieldError reports whether action's form has a place for field's
// error.
func (p *consoleCasePage) showsFieldError(action, field string) bool {
	for _, f := range consoleFieldErrors[action] {
		if f == field {
			return true
		}
	}
	if key, ok := strings.CutPrefix(field, "face."); ok && action == "issue" {
		for _, it := range p.Face {
			if it.Key == key {
				return true
			}
		}
	}
	return false
}
