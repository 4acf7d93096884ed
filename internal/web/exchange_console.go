package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// confirmRow is one provided file staff may pass (审核通过) on the case page.
type confirmRow struct {
	Lang       Lang
	Key, Name  string
	Standard   string // the standard material's code: the library keeps it under that
	Checked    bool
	ValidUntil string
}

// ConfirmRows are the case's files not yet passed, in the listing's order.
func (p *consoleCasePage) ConfirmRows() []confirmRow {
	var out []confirmRow
	for _, row := range p.Materials.Rows {
		m, ok := p.Case.Material(row.Key)
		if !ok || m.Status != tongban.MaterialProvided || m.BlobHash == "" || m.Confirmed {
			continue
		}
		lm, _ := p.Listing.Material(m.Key)
		out = append(out, confirmRow{Lang: p.Lang, Key: m.Key, Name: m.Name, Standard: lm.Standard,
			Checked: p.Form.Values["confirm_"+m.Key] != "", ValidUntil: p.Form.Values["valid_until_"+m.Key]})
	}
	return out
}

// ShowConfirm: the back office passes files on their own once the case is
// accepted (before that the front desk does it in the accept form).
func (p *consoleCasePage) ShowConfirm() bool {
	return p.CanBack && !p.ShowFront() && workflow.Allowed(tongban.ActionConfirmMaterials, p.state()) &&
		len(p.ConfirmRows()) > 0
}

// confirmations reads the ticked files of a confirm form or the accept form.
func confirmations(r *http.Request, c *tongban.Case) []workflow.MaterialConfirmation {
	var out []workflow.MaterialConfirmation
	for _, m := range c.Materials {
		if r.FormValue("confirm_"+m.Key) != "" {
			out = append(out, workflow.MaterialConfirmation{Key: m.Key, ValidUntil: strings.TrimSpace(r.FormValue("valid_until_" + m.Key))})
		}
	}
	return out
}
