package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
	"github.com/tongban/tongban/internal/license"
)

// TestLicenceVerifyEndpoint: a licence the demo city's 市场监管局 issues to
// 张三 verifies as 有效 without signing in, shows the holder masked, turns
// 签名核验不通过 when its stored record is altered and 已注销 when revoked;
// a wrong check character is a field error; the seal key is published; the
// holder's wallet lists it without the ID number.
func TestLicenceVerifyEndpoint(t *testing.T) {
	t.Parallel()
	srv, a := site(t)
	ctx := context.Background()
	st := a.Store
	org, err := st.OrgByCode(ctx, "gas-scjgj")
	if err != nil || org.CreditCode == "" {
		t.Fatalf("demo 市场监管局 has no credit code: %+v, %v", org, err)
	}
	types, err := st.LicenseTypes(ctx)
	if err != nil || len(types) < 10 {
		t.Fatalf("demo licence types: %d, %v", len(types), err)
	}
	holder, err := st.UserByLogin(ctx, demo.Citizen.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	typ, err := st.LicenseType(ctx, "11100000MB0143028R002")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	l := &tongban.License{Identifier: license.Identifier{TypeCode: typ.Code, IssuerCode: org.CreditCode, Serial: "20260000042", Version: 1}.String(),
		TypeCode: typ.Code, TypeName: typ.Name, Number: "JY15116020000042", IssuerID: org.ID, IssuerName: org.Name, IssuerCode: org.CreditCode,
		IssuedOn: day, ValidFrom: day, ValidTo: day.AddDate(5, 0, -1), HolderID: holder.ID, HolderName: holder.Name,
		HolderKind: tongban.HolderPerson, HolderCode: holder.IDNumber.Reveal(), HolderCodeMasked: holder.IDNumber.Masked(),
		RegionCode: org.RegionCode, Status: tongban.LicenseValid, Version: 1, Face: map[string]string{"经营者名称": "张三"}, CreatedAt: now}
	if err := st.Transact(ctx, func(tx tongban.Store) error { return license.SignAndStore(ctx, tx, l) }); err != nil {
		t.Fatal(err)
	}

	anon := newClient(t, srv)
	verify := func(id string) (int, license.Verification, string) {
		status, body := anon.do("GET", "/api/v1/licenses/verify?id="+url.QueryEscape(id), nil)
		var v license.Verification
		json.Unmarshal(body, &v)
		return status, v, string(body)
	}
	status, v, body := verify(l.Identifier)
	if status != http.StatusOK || v.Verdict != license.VerdictValid || v.Label != "有效" || !v.SignatureValid ||
		v.IssuerCode != string(org.CreditCode) || v.Holder == "" || v.Holder == holder.Name || v.KeyID != l.KeyID {
		t.Fatalf("verify: %d %s", status, body)
	}
	if strings.Contains(body, holder.IDNumber.Reveal()) || strings.Contains(body, holder.Name) {
		t.Fatalf("verification shows personal data: %s", body)
	}

	bad := l.Identifier[:len(l.Identifier)-1] + map[bool]string{true: "A", false: "B"}[l.Identifier[len(l.Identifier)-1] != 'A']
	status, _, body = verify(bad)
	if status != http.StatusBadRequest || !strings.Contains(body, `"field":"identifier"`) || !strings.Contains(body, "校验位") {
		t.Fatalf("wrong check character: %d %s", status, body)
	}
	unknown := license.Identifier{TypeCode: typ.Code, IssuerCode: org.CreditCode, Serial: "20260000043", Version: 1}.String()
	if status, v, body = verify(unknown); status != http.StatusOK || v.Verdict != license.VerdictUnknown {
		t.Fatalf("unknown licence: %d %s", status, body)
	}

	// The published key is the one that signed it.
	status, keysBody := anon.do("GET", "/api/v1/seals", nil)
	var keys []tongban.SealKey
	json.Unmarshal(keysBody, &keys)
	found := false
	for _, k := range keys {
		if k.ID == l.KeyID && k.OrgID == org.ID && strings.HasPrefix(k.PublicPEM, "-----BEGIN PUBLIC KEY-----") {
			payload, _ := license.Canonical(l)
			found, _ = license.VerifySignature(k.PublicPEM, payload, l.Signature)
		}
	}
	if status != http.StatusOK || !found || strings.Contains(string(keysBody), "PRIVATE") {
		t.Fatalf("seals: %d %s", status, keysBody)
	}

	// The holder's wallet.
	me := newClient(t, srv)
	me.login(demo.Citizen.IDNumber)
	status, walletBody := me.do("GET", "/api/v1/licenses", nil)
	if status != http.StatusOK || !strings.Contains(string(walletBody), l.Identifier) || strings.Contains(string(walletBody), holder.IDNumber.Reveal()) {
		t.Fatalf("wallet: %d %s", status, walletBody)
	}
	// The holder downloads the signed form; the published key verifies it.
	status, signedBody := me.do("GET", "/api/v1/licenses/"+l.Identifier+"/signed", nil)
	var signed struct {
		Payload, Signature         []byte
		Algorithm, SignerID, KeyID string `json:"-"`
	}
	json.Unmarshal(signedBody, &signed)
	if ok, _ := license.VerifySignature(keyPEM(keys, l.KeyID), signed.Payload, signed.Signature); status != http.StatusOK || !ok ||
		!strings.Contains(string(signedBody), `"signer_id":"1234567812345678"`) || !strings.Contains(string(signedBody), `"algorithm":"SM2-SM3"`) {
		t.Fatalf("signed form: %d %s", status, signedBody)
	}
	other := newClient(t, srv)
	other.login(demo.Enterprise.CreditCode)
	if status, _ := other.do("GET", "/api/v1/licenses/"+l.Identifier+"/signed", nil); status != http.StatusNotFound {
		t.Fatalf("someone else's signed licence: %d", status)
	}
	if status, _ := anon.do("GET", "/api/v1/licenses", nil); status != http.StatusUnauthorized {
		t.Fatalf("anonymous wallet: %d", status)
	}

	// An altered record no longer matches its signature.
	db := a.Store.DB()
	if _, err := db.ExecContext(ctx, `UPDATE licenses SET face = $1 WHERE id = $2`, `{"经营者名称":"李四"}`, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, v, body = verify(l.Identifier); v.Verdict != license.VerdictTampered || v.SignatureValid {
		t.Fatalf("altered licence: %s", body)
	}
	if _, err := db.ExecContext(ctx, `UPDATE licenses SET face = $1, status = $2 WHERE id = $3`, `{"经营者名称":"张三"}`, "revoked", l.ID); err != nil {
		t.Fatal(err)
	}
	if _, v, body = verify(l.Identifier); v.Verdict != license.VerdictRevoked || v.Label != "已注销" || !v.SignatureValid {
		t.Fatalf("revoked licence: %s", body)
	}
}

func keyPEM(keys []tongban.SealKey, id string) string {
	for _, k := range keys {
		if k.ID == id {
			return k.PublicPEM
		}
	}
	return ""
}
