package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/license"
)

// TestDemoRenewalUsesTheLicences: the demo city's 张三 holds three licences
// and 广安市蜀味餐饮管理有限公司 its 营业执照 and 食品经营许可证, loaded
// through 历史导入 and verifying; its 企业登记信息 record is drawn from
// the account and the 营业执照. Applying for 食品经营许可证延续 at 广安区
// 市场监督管理局 spares both licence materials by the server's own
// references (用证记录 kept), and issuing makes version 2 of the food
// licence, the old one 已变更.
func TestDemoRenewalUsesTheLicences(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	ctx := context.Background()
	st := a.Store
	now := a.Workflow.Clock.Now()
	zhang, err := st.UserByLogin(ctx, demo.Citizen.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	firm, err := st.UserByLogin(ctx, demo.Enterprise.CreditCode)
	if err != nil {
		t.Fatal(err)
	}
	valid := func(u *tongban.User) map[string]*tongban.License {
		held, err := st.LicensesOfHolder(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]*tongban.License{}
		for _, l := range held {
			v, err := license.Verify(ctx, st, l.Identifier, now)
			if err != nil {
				t.Fatal(err)
			}
			if v.Verdict == license.VerdictValid && l.Source == tongban.LicenseImported {
				out[l.TypeName] = l
			}
		}
		return out
	}
	got := valid(zhang)
	if len(got) < 4 || got["不动产权证书"] == nil || got["机动车驾驶证"] == nil || got["结婚证"] == nil || got["社会保障卡"] == nil {
		t.Fatalf("张三's licences: %v", got)
	}
	// His 社会保障卡's face carries his ID number: it reads back whole (the
	// licence as signed) and is sealed at rest.
	card := got["社会保障卡"]
	if card.Face["社会保障号码"] != demo.Citizen.IDNumber || card.Number == demo.Citizen.IDNumber {
		t.Fatalf("社会保障卡: number %s, face %v", card.Number, card.Face)
	}
	var rawFace string
	if err := st.DB().QueryRowContext(ctx, `SELECT face FROM licenses WHERE id = $1`, card.ID).Scan(&rawFace); err != nil ||
		strings.Contains(rawFace, demo.Citizen.IDNumber) {
		t.Fatalf("the 社会保障卡's face at rest: %s, %v", rawFace, err)
	}
	// A listing issues a 退休证: the city's 正常退休申请, of a type that exists.
	rsj, err := st.OrgByCode(ctx, "gas-rsj")
	if err != nil {
		t.Fatal(err)
	}
	retire, err := st.Listings(ctx, tongban.ListingFilter{OrgID: rsj.ID, ItemCode: "51201400600001", Status: tongban.ListingPublished})
	if err != nil || len(retire) != 1 || retire[0].Result.LicenseType != "11100000000013127D002" {
		t.Fatalf("正常退休申请 of 广安市人力资源和社会保障局: %v %+v", err, retire)
	}
	if typ, err := st.LicenseType(ctx, retire[0].Result.LicenseType); err != nil || typ.Name != "退休证" {
		t.Fatalf("its licence type: %+v %v", typ, err)
	}
	held := valid(firm)
	food, biz := held["食品经营许可证"], held["营业执照"]
	if food == nil || biz == nil || biz.Face["法定代表人"] != "张三" {
		t.Fatalf("the enterprise's licences: %v", held)
	}
	res, err := st.DataResource(ctx, "SCJG-QYDJ")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.DataRecord(ctx, res.ID, demo.Enterprise.CreditCode)
	if err != nil || rec.Data["address"] != biz.Face["住所"] || rec.Data["authority"] != biz.IssuerName || rec.Data["legal_rep"] != "张三" {
		t.Fatalf("企业登记信息 record: %+v %v", rec, err)
	}
	for code, typ := range map[string]string{"BZ0301": biz.TypeCode, "BZ0307": food.TypeCode} {
		if sm, err := st.StandardMaterial(ctx, code); err != nil || sm.LicenseType != typ {
			t.Fatalf("standard %s: %+v %v", code, sm, err)
		}
	}

	org, err := st.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := st.Listings(ctx, tongban.ListingFilter{OrgID: org.ID, ItemCode: "511A0005200008", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 || ls[0].Result.LicenseType != food.TypeCode {
		t.Fatalf("食品经营许可证延续 of 广安市市场监督管理局: %v %+v", err, ls)
	}
	l := ls[0]
	applicant := signIn(t, srv, demo.Enterprise.CreditCode)
	m1 := applicant.mustUpload(pdfFile("延续申请书"))
	b, _ := json.Marshal(map[string]any{"listing_id": l.ID, "form": map[string]any{"经营场所": food.Face["经营场所"]},
		"materials": []map[string]any{{"key": "m1", "blob_hash": m1},
			{"key": "m2", "status": "e_license", "consent": true, "reason": "证明主体资格"},
			{"key": "m3", "status": "e_license", "ref": food.Identifier, "consent": true, "reason": "申请延续的原许可证"}}})
	status, _, body := applicant.send("POST", "/api/v1/cases", b, "Idempotency-Key", "renew-1")
	c := decodeCase(t, status, body, http.StatusCreated)
	stored, err := st.CaseByNumber(ctx, c.Number)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"m2": biz.Identifier, "m3": food.Identifier} {
		m, _ := stored.Material(key)
		if m.Ref == nil || m.Ref.Kind != tongban.RefLicense || m.Ref.ID != want || !m.Spared() {
			t.Fatalf("material %s spared by %+v, want licence %s", key, m.Ref, want)
		}
	}

	uses, err := st.DataUses(ctx, firm.ID, 10, 0)
	if err != nil || len(uses) < 2 || uses[0].Kind != tongban.DataUseLicense {
		t.Fatalf("用证记录: %+v %v", uses, err)
	}

	// 受理 → 审查 → 决定 → 出具: the renewal is version 2 of the food
	// licence, its face from the old one and the form; the old one 已变更.
	approver, lead := signIn(t, srv, "approver"), signIn(t, srv, "approver-lead")
	c = approver.act(c.Number, "accept", map[string]string{})
	c = approver.act(c.Number, "review", map[string]string{"opinion": "经营条件未发生变化"})
	c = lead.act(c.Number, "approve", map[string]string{"opinion": "准予延续"})
	c = approver.act(c.Number, "issue", map[string]string{})
	if c.State != "result_issued" || c.ResultNo != food.Number {
		t.Fatalf("issued: %+v", c)
	}
	old, err := st.LicenseByIdentifier(ctx, food.Identifier)
	if err != nil || old.Status != tongban.LicenseChanged || !strings.Contains(old.StatusReason, c.Number) {
		t.Fatalf("the old food licence: %+v %v", old, err)
	}
	var next *tongban.License
	all, _ := st.LicensesOfHolder(ctx, firm.ID)
	for _, l := range all {
		if l.Replaces == food.Identifier {
			next = l
		}
	}
	if next == nil || next.Version != 2 || next.Number != food.Number || next.Face["经营项目"] != food.Face["经营项目"] ||
		!next.ValidTo.After(food.ValidTo) || next.Source != tongban.LicenseIssued {
		t.Fatalf("renewed licence: %+v", next)
	}
	if v, err := license.Verify(ctx, st, next.Identifier, now); err != nil || v.Verdict != license.VerdictValid {
		t.Fatalf("renewed licence verifies as %+v %v", v, err)
	}
}
