package license

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
)

func sampleLicense() *tongban.License {
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	return &tongban.License{
		Identifier: realIdentifier, TypeCode: "11100000000013338W011", TypeName: "建筑工程施工许可证",
		Number: "430000202304030101", IssuerName: "湖南省住房和城乡建设厅", IssuerCode: "11430000006122244L",
		IssuedOn: day, ValidFrom: day, HolderName: "广安市蜀味餐饮管理有限公司", HolderCode: "91511600MA62A1B2C3",
		HolderKind: tongban.HolderOrg, RegionCode: "430000000000", Version: 1,
		Face: map[string]string{"工程名称": "某某小区1号楼", "建设地址": "长沙市岳麓区"},
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	k, err := NewSealKey(7)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := Canonical(sampleLicense())
	if err != nil {
		t.Fatal(err)
	}
	sig, err := Sign(k, payload)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifySignature(k.PublicPEM, payload, sig); !ok || err != nil {
		t.Fatalf("own signature refused: %v", err)
	}
	altered := bytes.Replace(payload, []byte("1号楼"), []byte("2号楼"), 1)
	if ok, _ := VerifySignature(k.PublicPEM, altered, sig); ok {
		t.Fatal("altered payload verified")
	}
	other, _ := NewSealKey(8)
	if ok, _ := VerifySignature(other.PublicPEM, payload, sig); ok {
		t.Fatal("signature verified under another org's key")
	}
}

func TestCanonicalIsStableAndRefusesControls(t *testing.T) {
	a, _ := Canonical(sampleLicense())
	b, _ := Canonical(sampleLicense())
	if !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte(CanonicalHeader+"\n")) || a[len(a)-1] != '\n' {
		t.Fatalf("canonical form unstable or malformed:\n%s", a)
	}
	if !bytes.Contains(a, []byte("face.工程名称: 某某小区1号楼\nface.建设地址: ")) {
		t.Fatalf("face items not sorted by name (UTF-8 byte order):\n%s", a)
	}
	l := sampleLicense()
	l.Face["工程名称"] = "一号楼\nholder: 某人"
	if _, err := Canonical(l); tongban.AsError(err).Field != "face" {
		t.Fatalf("newline in a face value accepted: %v", err)
	}
}

// TestSignatureVerifiesInOpenSSL has OpenSSL 3, an SM2 implementation
// nobody here wrote, verify a licence signature with the published PEM.
func TestSignatureVerifiesInOpenSSL(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is required in CI")
		}
		t.Skip("openssl not installed")
	}
	k, _ := NewSealKey(1)
	payload, _ := Canonical(sampleLicense())
	sig, err := Sign(k, payload)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keyPath, payloadPath := write("key.pem", []byte(k.PublicPEM)), write("payload", payload)
	verify := func(sig []byte) (string, error) {
		out, err := exec.Command(openssl, "pkeyutl", "-verify", "-pubin", "-inkey", keyPath, "-rawin",
			"-digest", "sm3", "-pkeyopt", "distid:"+SignerID, "-in", payloadPath, "-sigfile", write("sig", sig)).CombinedOutput()
		return string(out), err
	}
	if out, err := verify(sig); err != nil || !bytes.Contains([]byte(out), []byte("Signature Verified Successfully")) {
		t.Fatalf("openssl refused the signature: %v\n%s", err, out)
	}
	// The same tool refuses a signature over other bytes.
	other, _ := Sign(k, append([]byte("x"), payload...))
	if out, err := verify(other); err == nil {
		t.Fatalf("openssl accepted a signature over other bytes:\n%s", out)
	}
}

// canonicalOf is Canonical's byte form written plainly, item by item:
// the reference its one-allocation build must equal.
func canonicalOf(l *tongban.License) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(CanonicalHeader + "\n")
	validTo := "长期"
	if !l.ValidTo.IsZero() {
		validTo = l.ValidTo.Format("2006-01-02")
	}
	meta := [][2]string{
		{"identifier", l.Identifier}, {"type_code", l.TypeCode}, {"type_name", l.TypeName}, {"number", l.Number},
		{"issuer", l.IssuerName}, {"issuer_code", string(l.IssuerCode)}, {"issued_on", l.IssuedOn.Format("2006-01-02")},
		{"valid_from", l.ValidFrom.Format("2006-01-02")}, {"valid_to", validTo}, {"holder", l.HolderName},
		{"holder_code", l.HolderCode}, {"holder_kind", string(l.HolderKind)}, {"region", l.RegionCode},
		{"version", fmt.Sprintf("%03d", l.Version)},
	}
	names := make([]string, 0, len(l.Face))
	for k := range l.Face {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		meta = append(meta, [2]string{"face." + k, l.Face[k]})
	}
	for _, kv := range meta {
		if strings.ContainsFunc(kv[0]+kv[1], isControl) || strings.Contains(kv[0], ": ") {
			return nil, tongban.FieldError("face", "证照信息「%s」含有控制字符，无法签名", kv[0])
		}
		b.WriteString(kv[0] + ": " + kv[1] + "\n")
	}
	return b.Bytes(), nil
}

// Canonical writes exactly the plain form, and refuses what it refuses
// with the same message, for licences with and without an end of
// validity, no face, many face items, and each kind of bad name or value.
func TestCanonicalIsThePlainForm(t *testing.T) {
	cases := []func(*tongban.License){
		func(*tongban.License) {},
		func(l *tongban.License) { l.ValidTo, l.Version = l.IssuedOn.AddDate(5, 0, 0), 12 },
		func(l *tongban.License) { l.Face = nil },
		func(l *tongban.License) {
			for i := range 40 {
				l.Face[fmt.Sprintf("项目%02d", i)] = strings.Repeat("值", i)
			}
		},
		func(l *tongban.License) { l.Face["名称: 伪"] = "x" },
		func(l *tongban.License) { l.Face["名称\t"] = "x" },
		func(l *tongban.License) { l.Face["名称"] = "x\x7f" },
		func(l *tongban.License) { l.HolderName = "某人\nissuer: 假" },
		func(l *tongban.License) { l.Face[""] = "" },
	}
	for i, change := range cases {
		l := sampleLicense()
		change(l)
		got, gerr := Canonical(l)
		want, werr := canonicalOf(l)
		if !bytes.Equal(got, want) || len(got) != cap(got) && gerr == nil || fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Errorf("case %d: got %q (cap %d), %v; want %q, %v", i, got, cap(got), gerr, want, werr)
		}
	}
}
