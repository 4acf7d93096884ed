package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// TestLicenseVerifyOffline: `tongban license verify` accepts a signed
// licence against a saved copy of the published keys or keys fetched from
// --url, and refuses a tampered payload, a signature by another key, a key
// not published and a published key that is not the one its ID names.
func TestLicenseVerifyOffline(t *testing.T) {
	dir := t.TempDir()
	key, err := license.NewSealKey(1)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := license.NewSealKey(2)
	key.CreatedAt, other.CreatedAt = time.Now(), time.Now()
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	l := &tongban.License{Identifier: license.Identifier{TypeCode: "11100000MB0143028R002", IssuerCode: "11511600MB1A000116",
		Serial: "20260000001", Version: 1}.String(), TypeCode: "11100000MB0143028R002", TypeName: "食品经营许可证",
		Number: "JY15116000000001", IssuerName: "广安市市场监督管理局", IssuerCode: "11511600MB1A000116", IssuedOn: day, ValidFrom: day,
		ValidTo: day.AddDate(5, 0, -1), HolderName: "广安市蜀味餐饮管理有限公司", HolderKind: tongban.HolderOrg,
		HolderCode: "91511602MA6AB1C2DE", RegionCode: "511600000000", Version: 1, Face: map[string]string{"经营场所": "建设路58号"}, KeyID: key.ID}
	payload, err := license.Canonical(l)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := license.Sign(key, payload)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, v any) string {
		b, _ := json.Marshal(v)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	signed := license.Signed{Payload: payload, Signature: sig, Algorithm: license.Algorithm, SignerID: license.SignerID, KeyID: key.ID}
	good := write("good.json", signed)
	seals := write("seals.json", []tongban.SealKey{*key, *other})

	code, out, errw := cli(t, "", "license", "verify", good, "--keys", seals)
	if code != 0 || !strings.Contains(out, "签名有效") || !strings.Contains(out, l.Identifier) || !strings.Contains(out, "食品经营许可证") {
		t.Fatalf("good licence: %d %s %s", code, out, errw)
	}

	tampered := signed
	tampered.Payload = []byte(strings.Replace(string(payload), "建设路58号", "建设路68号", 1))
	forged := signed
	forged.Signature, _ = license.Sign(other, payload)
	unpublished := signed
	unpublished.KeyID = "0123456789abcdef"
	swapped := *other
	swapped.ID = key.ID // a key list that names key's ID with another key
	wrongCheck := signed
	wrongCheck.Payload = []byte(strings.Replace(string(payload), l.Identifier, l.Identifier[:len(l.Identifier)-1]+"0", 1))
	wrongCheck.Signature, _ = license.Sign(key, wrongCheck.Payload)
	for _, c := range []struct {
		name, file, keys, want string
	}{
		{"tampered", write("tampered.json", tampered), seals, "签名核验不通过"},
		{"signed by another key", write("forged.json", forged), seals, "签名核验不通过"},
		{"key not published", write("unpublished.json", unpublished), seals, "没有密钥"},
		{"key list lies", good, write("swapped.json", []tongban.SealKey{swapped}), "与其公钥不符"},
		{"wrong check character", write("check.json", wrongCheck), seals, "校验"},
		{"not JSON", write("bad.json", "x"), seals, "不是签名证照"},
	} {
		code, out, errw := cli(t, "", "license", "verify", c.file, "--keys", c.keys)
		if code != 1 || !strings.Contains(errw, c.want) || strings.Contains(out, "签名有效") {
			t.Fatalf("%s: %d %q %q, want %q", c.name, code, out, errw, c.want)
		}
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/seals" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode([]tongban.SealKey{*key})
	}))
	defer srv.Close()
	if code, out, errw := cli(t, "", "license", "verify", good, "--url", srv.URL); code != 0 || !strings.Contains(out, "签名有效") {
		t.Fatalf("keys from --url: %d %s %s", code, out, errw)
	}
	if code, _, errw := cli(t, "", "license", "verify", good); code != 1 || !strings.Contains(errw, "usage") {
		t.Fatalf("no keys named: %d %s", code, errw)
	}
}
