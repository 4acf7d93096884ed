package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
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

// sharedRecordView is a shared-data record that spared a material, shown
// in full to the staff working the case: its reading is the department's
// use recorded in the applicant's data record when the case took it.
type sharedRecordView struct {
	Key, Material string
	Resource      string // name and department
	Note          string
	Fields        []exchange.FieldValue
}

func (w *Web) sharedRecords(r *http.Request, l Lang, c *tongban.Case) ([]sharedRecordView, error) {
	var out []sharedRecordView
	for _, m := range c.Materials {
		if m.Ref == nil || m.Ref.Kind != tongban.RefShared || m.Status != tongban.MaterialShared {
			continue
		}
		code, idText, _ := strings.Cut(m.Ref.ID, ":")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			continue
		}
		res, err := w.Store.DataResource(r.Context(), code)
		if err != nil {
			return nil, err
		}
		v := sharedRecordView{Key: m.Key, Material: m.Name, Resource: res.Name + "（" + res.OrgName + "）", Note: m.Ref.Note}
		rec, err := w.Store.DataRecordByID(r.Context(), id)
		switch {
		case tongban.IsCode(err, tongban.ENotFound):
			v.Note += l.T("；提供部门已删除该记录")
		case err != nil:
			return nil, err
		default:
			v.Fields = exchange.FullFields(res, rec)
		}
		out = append(out, v)
	}
	return out, nil
}
