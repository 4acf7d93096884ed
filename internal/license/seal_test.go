package license

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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
