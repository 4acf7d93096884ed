package web

import (
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// TestConsoleErrorsShownWhereTheFormHasAPlace: a refused action's error
// goes beside the field it names when the action's form has that field
// (a face item shown, the review's opinion, a correction item's reason),
// and above the form otherwise, so it is never dropped.
func TestConsoleErrorsShownWhereTheFormHasAPlace(t *testing.T) {
	t.Parallel()
	face := []license.FaceEntry{{Key: "premises", Name: "经营场所", Required: true}}
	for _, c := range []struct {
		name, action string
		face         []license.FaceEntry
		items        []tongban.Deficiency
		err          error
		field        string // "" when shown above the form
	}{
		{"a shown face item", "issue", face, nil, tongban.FieldError("face.premises", "证照照面项「经营场所」未填写"), "face.premises"},
		{"a face item not shown", "issue", nil, nil, tongban.FieldError("face.premises", "证照照面项「经营场所」未填写"), ""},
		{"the holder, no input of its own", "issue", face, nil, tongban.FieldError("holder", "申请人没有经核验的证件号码"), ""},
		{"the issuer's credit code", "issue", face, nil, tongban.FieldError("credit_code", "发证机构未登记统一社会信用代码"), ""},
		{"the result number", "issue", face, nil, tongban.FieldError("result_no", "结果编号过长"), "result_no"},
		{"the review's opinion", "review", nil, nil, tongban.FieldError("opinion", "请填写环节意见"), "opinion"},
		{"a field the review has not", "review", nil, nil, tongban.FieldError("reasons", "理由过长"), ""},
		{"a correction item", "correct", nil, []tongban.Deficiency{{Key: "m1"}, {Key: "m4"}},
			tongban.FieldError("items[1].reason", "请说明理由"), "reason_m4"},
		{"no field", "accept", nil, nil, tongban.Errorf(tongban.EConflict, "办件已被他人更新"), ""},
	} {
		p := &consoleCasePage{Form: newForm(), Face: c.face}
		p.showError(c.action, c.err, c.items)
		msg := tongban.AsError(c.err).Message
		if c.field == "" {
			if got := p.FormErr(c.action); got != msg || len(p.Form.Errors) != 0 {
				t.Errorf("%s: above the form %q, beside fields %v; want %q above", c.name, got, p.Form.Errors, msg)
			}
			continue
		}
		if got := p.Err(c.action, c.field); got != msg || p.FormErr(c.action) != "" {
			t.Errorf("%s: beside %s %q, above %q; want %q beside it", c.name, c.field, got, p.FormErr(c.action), msg)
		}
		if p.Err("deliver", c.field) != "" {
			t.Errorf("%s: shown on another action's form", c.name)
		}
	}
}
