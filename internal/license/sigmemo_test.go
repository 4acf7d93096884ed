package license

import "testing"

// TestSigMemoRemembersOnlyWhatVerified: a signature that verified is
// remembered; the same bytes with a changed payload, signature or key are
// checked again and refused, memo or not.
func TestSigMemoRemembersOnlyWhatVerified(t *testing.T) {
	k1, err := NewSealKey(1)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := NewSealKey(2)
	if err != nil {
		t.Fatal(err)
	}
	payload := []byte("证照元数据与照面")
	sig, err := Sign(k1, payload)
	if err != nil {
		t.Fatal(err)
	}
	m := &sigMemo{ok: map[[32]byte]struct{}{}}
	for range 2 {
		if ok, err := m.verify(k1.PublicPEM, payload, sig); !ok || err != nil {
			t.Fatalf("a good signature: %v %v", ok, err)
		}
	}
	if len(m.ok) != 1 {
		t.Fatalf("memo holds %d entries, want 1", len(m.ok))
	}
	tampered := append([]byte(nil), payload...)
	tampered[0] ^= 1
	badSig := append([]byte(nil), sig...)
	badSig[len(badSig)-1] ^= 1
	for name, c := range map[string]struct {
		pem          string
		payload, sig []byte
	}{"payload": {k1.PublicPEM, tampered, sig}, "signature": {k1.PublicPEM, payload, badSig}, "key": {k2.PublicPEM, payload, sig}} {
		if ok, _ := m.verify(c.pem, c.payload, c.sig); ok {
			t.Errorf("a changed %s verified", name)
		}
	}
	if len(m.ok) != 1 {
		t.Fatalf("failures were remembered: %d entries", len(m.ok))
	}
}
