package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// A person with no account is served at the window (一窗受理): the counter
// records them without a password, and when they register with the same ID
// number and the phone they gave there, they find the case — one account.
func TestWalkInCounterThenRegistration(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	clerk := signIn(t, srv, "clerk")
	const id, phone = "511602198807150011", "13912345678"
	app := map[string]any{"listing_id": l.ID, "applicant_id_number": id,
		"materials": []map[string]string{{"key": "m1"}, {"key": "m2"}, {"key": "m3"}, {"key": "m4"}, {"key": "m5"}}}

	// Without a name the counter cannot record them.
	status, body := clerk.json("POST", "/api/v1/cases", app)
	wantError(t, status, body, 400, "invalid", "applicant_name")
	app["applicant_name"], app["applicant_phone"] = "王小明", "1391234"
	status, body = clerk.json("POST", "/api/v1/cases", app)
	wantError(t, status, body, 400, "invalid", "applicant_phone")
	app["applicant_phone"] = phone
	status, body = clerk.json("POST", "/api/v1/cases", app)
	c := decodeCase(t, status, body, http.StatusCreated)
	if c.Channel != "counter" || c.Applicant != "王小明" || c.Visits != 1 {
		t.Fatalf("walk-in case: %+v", c)
	}
	// The same person again: the record is found, not doubled; a name that
	// is not on the ID card is refused.
	status, body = clerk.json("POST", "/api/v1/cases", app)
	again := decodeCase(t, status, body, http.StatusCreated)
	if again.Applicant != "王小明" {
		t.Errorf("second visit: %+v", again)
	}
	app["applicant_name"] = "王晓明"
	status, body = clerk.json("POST", "/api/v1/cases", app)
	wantError(t, status, body, 400, "invalid", "applicant_name")
	// A registered applicant's name is checked the same way.
	status, body = clerk.json("POST", "/api/v1/cases", map[string]any{"listing_id": l.ID, "applicant_id_number": demo.Citizen.IDNumber,
		"applicant_name": "李四", "materials": []map[string]string{{"key": "m1"}}})
	wantError(t, status, body, 400, "invalid", "applicant_name")

	// The record cannot sign in.
	anon := newClient(t, srv)
	if status, _ := anon.json("POST", "/api/v1/login", map[string]string{"login": id, "password": ""}); status == 200 {
		t.Fatal("a walk-in record signed in without a password")
	}
	// Registering with another phone is refused; with the counter's phone it
	// claims the record.
	reg := map[string]string{"name": "王小明", "id_number": id, "phone": "13700000000", "password": "Wxm@2026pass"}
	status, body = anon.json("POST", "/api/v1/register", reg)
	wantError(t, status, body, 400, "invalid", "phone")
	reg["phone"] = phone
	// The counter's phone must be proved by a code texted to it: none,
	// or a wrong one, claims nothing.
	status, body = anon.json("POST", "/api/v1/register", reg)
	wantError(t, status, body, 400, "invalid", "phone_code")
	if status, body := anon.json("POST", "/api/v1/register/phone-code", map[string]string{"phone": phone}); status != http.StatusAccepted {
		t.Fatalf("registration code: %d %s", status, body)
	}
	code := lastCode(t, a.Config.DataDir, phone)
	reg["phone_code"] = strconv.Itoa((mustAtoi(code) + 1) % 1_000_000)
	reg["phone_code"] = strings.Repeat("0", 6-len(reg["phone_code"])) + reg["phone_code"]
	status, body = anon.json("POST", "/api/v1/register", reg)
	wantError(t, status, body, 400, "invalid", "phone_code")
	reg["phone_code"] = code
	if status, body = anon.json("POST", "/api/v1/register", reg); status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("register over a walk-in record: %d %s", status, body)
	}
	status, body = anon.json("POST", "/api/v1/register", reg)
	wantError(t, status, body, 409, "conflict", "id_number")

	person := newClient(t, srv)
	// The code proved the phone: it signs in.
	if status, body := person.json("POST", "/api/v1/login", map[string]string{"login": phone, "password": "Wxm@2026pass"}); status != 200 {
		t.Fatalf("login after claiming: %d %s", status, body)
	}
	status, body = person.do("GET", "/api/v1/cases", nil)
	var mine struct{ Total int }
	if status != 200 || json.Unmarshal(body, &mine) != nil || mine.Total != 2 ||
		!strings.Contains(string(body), c.Number) || !strings.Contains(string(body), again.Number) {
		t.Errorf("the registered person's cases: %d %s", status, body)
	}

	// An enterprise at the window: credit code, name and legal representative.
	ent := map[string]any{"listing_id": l.ID, "applicant_credit_code": "92511621MA6CD3E4FJ", "applicant_name": "广安市岳池米粉店",
		"materials": []map[string]string{{"key": "m1"}, {"key": "m2"}, {"key": "m3"}, {"key": "m4"}, {"key": "m5"}}}
	status, body = clerk.json("POST", "/api/v1/cases", ent)
	wantError(t, status, body, 400, "invalid", "applicant_legal_rep_name")
	ent["applicant_legal_rep_name"] = "刘大勇"
	status, body = clerk.json("POST", "/api/v1/cases", ent)
	if e := decodeCase(t, status, body, http.StatusCreated); e.Applicant != "广安市岳池米粉店" {
		t.Errorf("enterprise walk-in: %+v", e)
	}

	// Only window staff may identify or record applicants.
	status, body = signIn(t, srv, "approver").json("POST", "/api/v1/cases", app)
	wantError(t, status, body, 403, "forbidden", "")
}
