package exchange

import (
	"context"
	"fmt"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// PrefillValue is one field of the application form filled in from what
// the platform already holds, with where it came from.
type PrefillValue struct {
	Field    string `json:"field"`              // the form's label: 企业名称, 法定代表人, 住所…
	Value    string `json:"value"`              // in full: what the application carries
	Source   string `json:"source"`             // 账号信息, 共享数据「企业登记信息」（广安市市场监督管理局）…
	Personal bool   `json:"personal,omitempty"` // masked when shown on a page
}

// Shown is the value as a page shows it: masked when personal.
func (v PrefillValue) Shown() string {
	if v.Personal {
		return MaskValue(v.Value)
	}
	return v.Value
}

// Prefill fills the applicant part of an application form for the
// listing: from the account (an enterprise's name, credit code and legal
// representative; a citizen's name), then from each shared resource of the
// applicant's kind whose items feed a form field (住所, 户籍地址…) —
// 无条件 ones, and 有条件 ones the applicant consented to for this listing.
// The first source of a field wins. Looking a record up may pull it from
// its provider, so this runs outside any transaction; a provider that is
// down leaves its fields out. When someone other than the applicant sees
// the values (a clerk at a window), the read is recorded.
func (d *Data) Prefill(ctx context.Context, r identity.Request, applicant *tongban.User, l *tongban.Listing) ([]PrefillValue, error) {
	var out []PrefillValue
	have := map[string]bool{}
	add := func(v PrefillValue) {
		if v.Value != "" && !have[v.Field] {
			have[v.Field] = true
			out = append(out, v)
		}
	}
	const account = "账号信息"
	switch applicant.Kind {
	case tongban.UserEnterprise:
		add(PrefillValue{Field: "企业名称", Value: applicant.Name, Source: account})
		add(PrefillValue{Field: "统一社会信用代码", Value: string(applicant.CreditCode), Source: account})
		add(PrefillValue{Field: "法定代表人", Value: applicant.LegalRepName, Source: account})
	case tongban.UserCitizen:
		add(PrefillValue{Field: "姓名", Value: applicant.Name, Source: account, Personal: true})
	}
	resources, err := d.Store.DataResources(ctx)
	if err != nil {
		return nil, err
	}
	now := d.Clock.Now()
	var read []string
	for _, res := range resources {
		subject := tongban.SubjectOf(applicant, res.Subject)
		if subject == "" || res.Share == tongban.ShareNone || !feedsForm(res) {
			continue
		}
		if res.Share == tongban.ShareConditional {
			if _, err := d.Store.OpenConsent(ctx, applicant.ID, res.Code, l.ID, now); tongban.IsCode(err, tongban.ENotFound) {
				continue
			} else if err != nil {
				return nil, err
			}
		}
		rec, found, err := d.fetch(ctx, res, subject)
		if tongban.IsCode(err, tongban.EUnavailable) {
			continue
		} else if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		source := fmt.Sprintf("共享数据「%s」（%s）", res.Name, res.OrgName)
		used := false
		for _, f := range res.Fields {
			if f.FormField != "" && rec.Data[f.Key] != "" && !have[f.FormField] {
				add(PrefillValue{Field: f.FormField, Value: rec.Data[f.Key], Source: source, Personal: f.Personal})
				used = true
			}
		}
		if used {
			read = append(read, res.Code)
		}
	}
	if err := d.recordStaffRead(ctx, r, applicant, read, fmt.Sprintf("窗口受理「%s」时预填申请表", l.Name)); err != nil {
		return nil, err
	}
	return out, nil
}

func feedsForm(res *tongban.DataResource) bool {
	for _, f := range res.Fields {
		if f.FormField != "" {
			return true
		}
	}
	return false
}
