package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/license"
)

// licensesJSON are licences the demo departments issued before Tongban:
// 张三's 不动产权证书, 机动车驾驶证 and 结婚证, and 广安市蜀味餐饮管理有限公司's
// 营业执照 and 食品经营许可证 (due for 延续). They are loaded through the
// 历史导入 path every department uses, signed with each department's seal.
//
//go:embed licenses.json
var licensesJSON []byte

type demoLicenses struct {
	Org  string              `json:"org"`
	Rows []license.ImportRow `json:"rows"`
}

// loadLicenses imports the demo's licences, department by department.
func (l *Loader) loadLicenses(ctx context.Context) (int, error) {
	var groups []demoLicenses
	if err := json.Unmarshal(licensesJSON, &groups); err != nil {
		return 0, fmt.Errorf("licenses.json: %w", err)
	}
	svc := &license.Service{Store: l.Store, Clock: l.Catalog.Clock}
	n := 0
	for _, g := range groups {
		org, err := l.Store.OrgByCode(ctx, g.Org)
		if err != nil {
			return n, fmt.Errorf("licences of %s: %w", g.Org, err)
		}
		res, err := svc.Import(ctx, identity.Request{IP: "demo"}, org.ID, g.Rows)
		if err != nil {
			return n, fmt.Errorf("licences of %s: %w", g.Org, err)
		}
		n += res.Imported
	}
	return n, nil
}

// businessLicenceType is 营业执照's 证照类型代码; enterpriseResource the
// 企业登记信息 resource its records feed.
const (
	businessLicenceType = "11100000MB0143028R001"
	enterpriseResource  = "SCJG-QYDJ"
)

// enterpriseRecords are the 企业登记信息 (市场监管) records of Tongban's own
// enterprise accounts: each account's credit code, name and legal
// representative, and the register's other items from its valid 营业执照.
func (l *Loader) enterpriseRecords(ctx context.Context, accounts ...*tongban.User) ([]exchange.PushRecord, error) {
	now := l.Catalog.Clock.Now()
	var out []exchange.PushRecord
	for _, u := range accounts {
		held, err := l.Store.LicensesOfHolder(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		for _, lic := range held {
			if lic.TypeCode != businessLicenceType || lic.Status != tongban.LicenseValid || lic.Expired(now) {
				continue
			}
			term := lic.ValidFrom.Format("2006-01-02") + "至长期"
			if !lic.ValidTo.IsZero() {
				term = lic.ValidFrom.Format("2006-01-02") + "至" + lic.ValidTo.Format("2006-01-02")
			}
			f := lic.Face
			out = append(out, exchange.PushRecord{Subject: string(u.CreditCode), Data: map[string]string{
				"name": u.Name, "credit_code": string(u.CreditCode), "legal_rep": u.LegalRepName, "type": f["类型"],
				"address": f["住所"], "reg_capital": f["注册资本"], "established": strings.NewReplacer("年", "-", "月", "-", "日", "").Replace(f["成立日期"]),
				"term": term, "scope": f["经营范围"], "authority": lic.IssuerName, "status": "存续（在营、开业、在册）"}})
			break
		}
	}
	return out, nil
}
