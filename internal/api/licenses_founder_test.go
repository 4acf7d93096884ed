package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/identity"
)

// TestFounderAppliesForEnterpriseRegistration: the demo citizen 张三 applies
// for 企业设立登记 at 广安市市场监督管理局 as the new company's founder.
// Issuing without the 统一社会信用代码 on the face is a 400 naming
// face.credit_code and issues nothing; with it, the 营业执照 is the new
// enterprise's — recorded without a password, his phone and him as its
// legal representative — not in his own wallet.
func TestFounderAppliesForEnterpriseRegistration(t *testing.T) {
	srv, a := site(t)
	ctx := context.Background()
	st := a.Store
	org, err := st.OrgByCode(ctx, "gas-scjgj")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := st.Listings(ctx, tongban.ListingFilter{OrgID: org.ID, ItemCode: "511A0064100070", Status: tongban.ListingPublished})
	if err != nil || len(ls) != 1 || ls[0].Result.LicenseType == "" {
		t.Fatalf("企业设立登记 of 广安市市场监督管理局: %v %+v", err, ls)
	}
	founder := signIn(t, srv, demo.Citizen.IDNumber)
	var ms []map[string]any
	for _, key := range []string{"m1", "m2", "m3", "m4", "m5"} {
		ms = append(ms, map[string]any{"key": key, "blob_hash": founder.mustUpload(pdfFile("设立 " + key))})
	}
	const code, name = "91511621MA6C2YTR25", "广安市岳池米粉店有限公司"
	b, _ := json.Marshal(map[string]any{"listing_id": ls[0].ID, "materials": ms,
		"form": map[string]any{"entity_name": name, "entity_type": "有限责任公司（自然人独资）", "legal_rep": demo.Citizen.Name,
			"business_scope": "餐饮服务", "address": "岳池县九龙镇东街8号"}})
	status, _, body := founder.send("POST", "/api/v1/cases", b, "Idempotency-Key", "found-1")
	c := decodeCase(t, status, body, http.StatusCreated)

	approver, lead := signIn(t, srv, "approver"), signIn(t, srv, "approver-lead")
	c = approver.act(c.Number, "accept", map[string]string{})
	c = lead.act(c.Number, "approve", map[string]string{"opinion": "准予设立登记"})

	// The registration authority assigns the code on the face; without it
	// nothing is issued.
	nb, _ := json.Marshal(map[string]any{"face": map[string]string{}})
	status, _, body = approver.send("POST", "/api/v1/cases/"+c.Number+"/issue", nb)
	var ae apiError
	if status != http.StatusBadRequest || json.Unmarshal(body, &ae) != nil || ae.Error.Field != "face.credit_code" {
		t.Fatalf("issue without a credit code: %d %s", status, body)
	}
	if _, err := st.UserByLogin(ctx, code); !tongban.IsCode(err, tongban.ENotFound) {
		t.Fatalf("a refused issue recorded the enterprise: %v", err)
	}

	c = approver.act(c.Number, "issue", map[string]any{"face": map[string]string{"统一社会信用代码": code}})
	if c.State != "result_issued" || c.ResultNo == "" {
		t.Fatalf("issued: %+v", c)
	}
	ent, err := st.UserByLogin(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if ent.Kind != tongban.UserEnterprise || ent.Name != name || identity.Registered(ent) ||
		ent.LegalRepName != demo.Citizen.Name || ent.Phone.Reveal() != demo.Citizen.Phone {
		t.Fatalf("the new enterprise: %+v", ent)
	}
	held, err := st.LicensesOfHolder(ctx, ent.ID)
	if err != nil || len(held) != 1 || held[0].TypeName != "营业执照" || held[0].HolderCode != code || held[0].Number != c.ResultNo ||
		held[0].Face["名称"] != name {
		t.Fatalf("the enterprise's licences: %+v %v", held, err)
	}
	status, _, body = founder.send("GET", "/api/v1/licenses", nil)
	var wallet []struct {
		Identifier string `json:"identifier"`
	}
	if status != http.StatusOK || json.Unmarshal(body, &wallet) != nil {
		t.Fatalf("the founder's wallet: %d %s", status, body)
	}
	for _, l := range wallet {
		if l.Identifier == held[0].Identifier {
			t.Fatal("the enterprise's 营业执照 is in the founder's own wallet")
		}
	}
}
