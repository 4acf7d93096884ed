package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// A bundle for someone with no account, through the API at a window: the
// clerk names the person (ID number, name, phone) or the enterprise (credit
// code, name, legal representative) as for a single case; without a name
// nothing is created; the parent and its started sub-cases belong to the
// walk-in record; registering with the counter's phone claims it, and the
// person then reads the parent and its sub-cases. Both engines.
func TestWalkInBundleOverAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		srv, a := bundleSite(t, d)
		ctx := context.Background()
		clerk := signIn(t, srv, "clerk")
		newborn, err := a.Store.BundleByCode(ctx, "YJS-XSECS")
		if err != nil {
			t.Fatal(err)
		}
		answers := map[string]string{"hukou": "here", "card": "yes"}
		_, cl, err := a.Bundles.Checklist(ctx, newborn.ID, answers)
		if err != nil {
			t.Fatal(err)
		}
		var papers []map[string]string // paper the clerk saw
		for _, m := range cl.Materials {
			papers = append(papers, map[string]string{"key": m.Key})
		}
		const id, phone = "511602198807150011", "13912345678"
		body := map[string]any{"applicant_id_number": id, "answers": answers, "materials": papers,
			"form": map[string]any{"baby_name": "王小宝", "sex": "男", "birth_date": "2026-02-20",
				"birth_place": "广安市妇幼保健院", "mother_name": "李梅", "mother_id": "511602199205081228",
				"father_name": "王小明", "father_id": id, "declarant_id": id,
				"address": "广安市广安区北辰路1号", "phone": phone}}
		path := fmt.Sprintf("/api/v1/bundles/%d/cases", newborn.ID)
		parents := func() int {
			bcs, err := a.Store.BundleCases(ctx, tongban.BundleCaseFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			return len(bcs)
		}
		status, out := clerk.json("POST", path, body)
		wantError(t, status, out, 400, "invalid", "applicant_name")
		if n := parents(); n != 0 {
			t.Fatalf("a refused walk-in application made %d parents", n)
		}
		body["applicant_name"], body["applicant_phone"] = "王小明", phone
		status, out = clerk.json("POST", path, body)
		p := decodeParent(t, status, out, http.StatusCreated)
		if p.Channel != "窗口办" {
			t.Errorf("channel %s", p.Channel)
		}
		rec, err := a.Store.UserByIDNumber(ctx, tongban.IDNumber(id))
		if err != nil {
			t.Fatal(err)
		}
		if identity.Registered(rec) || rec.Name != "王小明" {
			t.Fatalf("the walk-in record: %+v", rec)
		}
		started := ownedBy(t, a, p.Number, rec.ID)
		if started == 0 {
			t.Fatal("no sub-case started")
		}

		// An enterprise at the window.
		shop, err := a.Store.BundleByCode(ctx, "YJS-KBCYD")
		if err != nil {
			t.Fatal(err)
		}
		_, scl, err := a.Bundles.Checklist(ctx, shop.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		var shopPapers []map[string]string
		for _, m := range scl.Materials {
			shopPapers = append(shopPapers, map[string]string{"key": m.Key})
		}
		const code = "92511621MA6CD3E4FJ"
		ent := map[string]any{"applicant_credit_code": code, "applicant_name": "广安市岳池米粉店", "materials": shopPapers,
			"form": map[string]any{"company_name": "广安市岳池米粉店有限公司", "legal_rep": "刘大勇", "legal_rep_id": "511602199003071232",
				"address": "广安市岳池县九龙镇1号", "capital": 10, "area": 60, "sign_area": 6, "phone": "13712345678"}}
		status, out = clerk.json("POST", fmt.Sprintf("/api/v1/bundles/%d/cases", shop.ID), ent)
		wantError(t, status, out, 400, "invalid", "applicant_legal_rep_name")
		ent["applicant_legal_rep_name"] = "刘大勇"
		status, out = clerk.json("POST", fmt.Sprintf("/api/v1/bundles/%d/cases", shop.ID), ent)
		sp := decodeParent(t, status, out, http.StatusCreated)
		firm, err := a.Store.UserByLogin(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if firm.Kind != tongban.UserEnterprise || identity.Registered(firm) {
			t.Fatalf("the enterprise record: %+v", firm)
		}
		ownedBy(t, a, sp.Number, firm.ID)

		// Registration with the counter's phone, proved by a code, claims
		// the record: the person reads the parent and every started sub-case.
		anon := newClient(t, srv)
		if status, out := anon.json("POST", "/api/v1/register/phone-code", map[string]string{"phone": phone}); status != http.StatusAccepted {
			t.Fatalf("registration code: %d %s", status, out)
		}
		reg := map[string]string{"name": "王小明", "id_number": id, "phone": phone, "password": "Wxm@2026pass",
			"phone_code": lastCode(t, a.Config.DataDir, phone)}
		if status, out := anon.json("POST", "/api/v1/register", reg); status != http.StatusCreated && status != http.StatusOK {
			t.Fatalf("register over the walk-in record: %d %s", status, out)
		}
		person := newClient(t, srv)
		if status, out := person.json("POST", "/api/v1/login", map[string]string{"login": phone, "password": "Wxm@2026pass"}); status != 200 {
			t.Fatalf("login after claiming: %d %s", status, out)
		}
		mine := decodeParent(t, 200, mustGet(t, person, "/api/v1/cases/"+p.Number), 200)
		for _, s := range mine.Bundle.SubCases {
			if s.Status == "started" {
				mustGet(t, person, "/api/v1/cases/"+s.Number)
			}
		}
		if status, _ := person.do("GET", "/api/v1/cases/"+sp.Number, nil); status != http.StatusNotFound {
			t.Errorf("the person reads the enterprise's bundle: %d", status)
		}
		var list struct {
			Total int `json:"total"`
		}
		if err := json.Unmarshal(mustGet(t, person, "/api/v1/cases"), &list); err != nil {
			t.Fatal(err)
		}
		if list.Total != started {
			t.Errorf("the person's cases: %d; want the %d started sub-cases", list.Total, started)
		}
	})
}

// ownedBy checks that the parent and each started sub-case belong to the
// applicant and were taken at the counter; it returns how many started.
func ownedBy(t *testing.T, a *app.App, number string, applicantID int64) (started int) {
	t.Helper()
	ctx := context.Background()
	bc, err := a.Store.BundleCaseByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	if bc.ApplicantID != applicantID || bc.Channel != tongban.ChannelCounter {
		t.Errorf("%s: applicant %d channel %s; want %d at the counter", number, bc.ApplicantID, bc.Channel, applicantID)
	}
	for _, sc := range bc.Subs {
		if sc.CaseID == 0 {
			continue
		}
		started++
		c, err := a.Store.Case(ctx, sc.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		if c.ApplicantID != applicantID || c.Channel != tongban.ChannelCounter {
			t.Errorf("%s: applicant %d channel %s; want %d at the counter", c.Number, c.ApplicantID, c.Channel, applicantID)
		}
	}
	return started
}
