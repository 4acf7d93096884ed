package web

import (
	"slices"
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
// item's beside that item, anything else above the form (form.failOn).
func (p *consoleCasePage) showError(action string, err error, items []tongban.Deficiency) {
	p.Failed = action
	e := tongban.AsError(err)
	if rest, ok := strings.CutPrefix(e.Field, "items["); ok {
		if i, aerr := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)]); aerr == nil && i < len(items) {
			p.Form.Errors["reason_"+items[i].Key] = e.Message
			return
		}
	}
	p.Form.failOn(err, p.errorFields(action)...)
}

// errorFields are the fields action's form has an error place for: its
// own (consoleFieldErrors) and, for the issue, each face item shown.
func (p *consoleCasePage) errorFields(action string) []string {
	fields := consoleFieldErrors[action]
	if action == "issue" {
		fields = slices.Clone(fields)
		for _, it := range p.Face {
			fields = append(fields, "face."+it.Key)
		}
	}
	return fields
}
