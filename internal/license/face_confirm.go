package license

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tongban/tongban"
)

// Where a face item's value comes from.
const (
	FromApprover = "审批人填写"
	FromForm     = "申请表"
	FromAccount  = "申请人账号"
	FromPrior    = "原证照"
)

// FaceEntry is one item of the face a case's licence would carry, with
// where its value comes from: the approver confirms them before issuing.
type FaceEntry struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Required bool   `json:"required,omitempty"`
	Value    string `json:"value"`
	Source   string `json:"source,omitempty"` // "" when nothing gave a value
	// Masked is set when the value is the applicant's ID number (a
	// person's 社会保障号码 is the 公民身份号码): pages show it masked and
	// leave the input empty; issuing takes the full value from the account.
	Masked string `json:"masked,omitempty"`
}

// accountFace is what the server itself knows of the applicant, by face
// key: an enterprise's name, credit code and legal representative (checked
// at registration), a person's name.
func accountFace(u *tongban.User) map[string]string {
	if u == nil {
		return nil
	}
	if u.CreditCode != "" {
		return map[string]string{"entity_name": u.Name, "credit_code": string(u.CreditCode), "legal_rep": u.LegalRepName,
			"builder": u.Name}
	}
	face := map[string]string{"name": u.Name, "holder": u.Name, "owner": u.Name}
	if id := u.IDNumber.Reveal(); id != "" {
		face[personalKey] = id // 《社会保险法》第五十八条：个人社会保障号码为公民身份号码
	}
	return face
}

// personalKey is the face key an account fills with the ID number.
const personalKey = "social_security_no"

// fillFace fills the type's face items, each from the first source with a
// value: what the approver entered (by printed name), the case's form (by
// key), the applicant's account, the licence the case renews (by name).
func fillFace(typ *tongban.LicenseType, form json.RawMessage, confirmed map[string]string, applicant *tongban.User, prior map[string]string) []FaceEntry {
	values := map[string]any{}
	if len(form) > 0 {
		_ = json.Unmarshal(form, &values) // a form that is not an object gives nothing
	}
	account := accountFace(applicant)
	items := make([]FaceEntry, 0, len(typ.Fields))
	for _, f := range typ.Fields {
		it := FaceEntry{Key: f.Key, Name: f.Name, Required: f.Required}
		formValue := ""
		switch x := values[f.Key].(type) {
		case string:
			formValue = strings.TrimSpace(x)
		case float64, bool:
			formValue = fmt.Sprint(x)
		}
		for _, c := range []struct{ v, src string }{
			{strings.TrimSpace(confirmed[f.Name]), FromApprover}, {formValue, FromForm},
			{strings.TrimSpace(account[f.Key]), FromAccount}, {prior[f.Name], FromPrior},
		} {
			if c.v != "" {
				it.Value, it.Source = c.v, c.src
				if c.src == FromAccount && f.Key == personalKey {
					it.Masked = applicant.IDNumber.Masked()
				}
				break
			}
		}
		items = append(items, it)
	}
	return items
}

// checkFace refuses a required item without a value, naming it, and a
// value too long or holding a control character; it returns the face by
// printed name.
func checkFace(typ *tongban.LicenseType, items []FaceEntry) (map[string]string, error) {
	face := map[string]string{}
	for _, it := range items {
		if it.Value == "" {
			if it.Required {
				return nil, tongban.FieldError("face."+it.Key, "证照照面项「%s」未填写（申请表中没有），请审批人核对填写后再签发%s", it.Name, typ.Name)
			}
			continue
		}
		if utf8.RuneCountInString(it.Value) > 500 || strings.ContainsFunc(it.Value, isControl) {
			return nil, tongban.FieldError("face."+it.Key, "证照照面项「%s」过长或含有控制字符", it.Name)
		}
		face[it.Name] = it.Value
	}
	return face, nil
}

// ConfirmFace is the face the licence of case c would carry if issued now, for
// the approver to confirm: nil when the listing's result is no licence.
func ConfirmFace(ctx context.Context, st tongban.Store, c *tongban.Case, l *tongban.Listing, applicant *tongban.User) ([]FaceEntry, error) {
	if l == nil || l.Result.LicenseType == "" {
		return nil, nil
	}
	typ, err := st.LicenseType(ctx, l.Result.LicenseType)
	if err != nil {
		return nil, err
	}
	org, err := st.Org(ctx, c.OrgID)
	if err != nil {
		return nil, err
	}
	var base map[string]string
	if applicant != nil {
		prior, err := priorLicence(ctx, st, c, typ, org, applicant)
		if err != nil {
			return nil, err
		}
		if prior != nil {
			base = prior.Face
		}
	}
	return fillFace(typ, c.Form, nil, applicant, base), nil
}
