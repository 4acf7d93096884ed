package bundle_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/license/licensetest"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
	"github.com/tongban/tongban/internal/workflow"
)

// TestBundleLicenceRevokedMidway: the firm's 营业执照 spares 企业信息变更's
// material, checked before the application's transaction; revoked before
// that transaction runs, the consent's insert refuses it, and the bundle
// checks the claim again in a new transaction: refused by name, nothing
// stored.
func TestBundleLicenceRevokedMidway(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWalk(t, loadCity(t, d))
		ctx := context.Background()
		w.wf.Resolvers = map[tongban.MaterialStatus]workflow.MaterialResolver{tongban.MaterialELicense: exchange.Licenses{Store: w.st}}
		sm, err := w.st.StandardMaterial(ctx, "BZ0301")
		if err != nil {
			t.Fatal(err)
		}
		sm.LicenseType = "11100000MB0143028R001" // 营业执照
		if err := w.st.SaveStandardMaterial(ctx, sm); err != nil {
			t.Fatal(err)
		}
		org, err := w.st.OrgByCode(ctx, "gas-scjgj")
		if err != nil {
			t.Fatal(err)
		}
		firm := w.user(t, demo.Enterprise.CreditCode)
		lic := licensetest.Store(t, w.st, org, firm, sm.LicenseType, 41, 0, w.clock.Now())
		b := w.bundle(t, "YJS-QYXXBG")
		mats := materialsOf(t, w, b, nil)
		at := -1
		for i := range mats {
			if mats[i].Key == "BZ0301" {
				mats[i] = tongban.CaseMaterial{Key: "BZ0301", Status: tongban.MaterialELicense, Claim: lic.Identifier, Consent: true}
				at = i
			}
		}
		if at < 0 {
			t.Fatal("企业信息变更 asks no 营业执照")
		}
		revokes := &storetest.BeforeFirstTransact{Store: w.st, Before: func() error {
			return w.st.SetLicenseStatus(ctx, lic.ID, tongban.LicenseRevoked, "吊销", w.clock.Now())
		}}
		w.svc.Store = revokes
		_, _, err = w.svc.Apply(ctx, w.req(firm), bundle.Application{BundleID: b.ID, Channel: tongban.ChannelOnline, Materials: mats,
			Form: formOf(t, map[string]any{"name": "广安市蜀味餐饮管理有限公司", "new_address": "广安市广安区建设路88号", "phone": "13800138000"})})
		if e := tongban.AsError(err); e.Code != tongban.EInvalid || e.Field != fmt.Sprintf("materials[%d].status", at) ||
			!strings.Contains(e.Message, "已注销") {
			t.Fatalf("a bundle whose licence is revoked mid-way = %v; want materials[%d] refused as 已注销", err, at)
		}
		if revokes.Transactions != 2 {
			t.Fatalf("%d transactions; want the refused one and one checking the claim again", revokes.Transactions)
		}
		if cs, err := w.st.LicenseConsents(ctx, lic.ID); err != nil || len(cs) != 0 {
			t.Fatalf("consents = %d, %v; want none", len(cs), err)
		}
		if n, err := w.st.CountCases(ctx, tongban.CaseFilter{ApplicantID: firm.ID}); err != nil || n != 0 {
			t.Fatalf("%d cases, %v; want none", n, err)
		}
	})
}
