package exchange

import (
	"context"

	"github.com/tongban/tongban"
)

// EnterpriseResource is the code of 企业登记信息, whose records Tongban
// makes from its own enterprise accounts when 市场监管 has pushed none.
const EnterpriseResource = "SCJG-QYDJ"

// Accounts makes 企业登记信息 records from the enterprise accounts Tongban
// keeps: the name, the credit code and the legal representative that
// registration checked. Items the accounts do not hold (住所, 注册资本…)
// come only from 市场监管's own push.
type Accounts struct {
	Store tongban.Store
}

// LocalRecord returns the enterprise's record, if it has an account.
func (a Accounts) LocalRecord(ctx context.Context, res *tongban.DataResource, subject string) (map[string]string, bool, error) {
	cc, err := tongban.ParseCreditCode(subject)
	if err != nil {
		return nil, false, nil
	}
	u, err := a.Store.UserByLogin(ctx, string(cc))
	if tongban.IsCode(err, tongban.ENotFound) || (err == nil && u.Kind != tongban.UserEnterprise) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	data := map[string]string{}
	for key, v := range map[string]string{"name": u.Name, "credit_code": string(u.CreditCode), "legal_rep": u.LegalRepName} {
		if _, ok := res.Field(key); ok && v != "" {
			data[key] = v
		}
	}
	return data, true, nil
}
