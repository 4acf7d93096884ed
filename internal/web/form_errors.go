package web

import (
	"slices"

	"github.com/tongban/tongban"
)

// failOn records err as fail does, but beside its field only when shown
// lists that field, the inputs the page has an error place for; any other
// field's error goes above the form. A template shows Errors only for the
// fields it knows, so an error naming another one (a hidden input's, a
// service's "org_id") would reach the person as a 4xx page with no message.
func (f *form) failOn(err error, shown ...string) {
	f.fail(err)
	e := tongban.AsError(err)
	if msg, ok := f.Errors[e.Field]; ok && !slices.Contains(shown, e.Field) {
		delete(f.Errors, e.Field)
		f.Error = msg
	}
}
