package sealer

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func testSealer(t *testing.T, b byte) *Sealer {
	t.Helper()
	s, err := New(bytes.Repeat([]byte{b}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := testSealer(t, 1)
	const id = "11010519491231002X"
	a, b := s.Seal(id), s.Seal(id)
	if a == b {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if strings.Contains(a, id) {
		t.Error("sealed value contains the plain value")
	}
	got, err := s.Open(a)
	if err != nil || got != id {
		t.Fatalf("Open = %q, %v; want %q", got, err, id)
	}
	if s.Seal("") != "" {
		t.Error("empty value should stay empty")
	}
}

func TestOpenWithWrongKeyFails(t *testing.T) {
	sealed := testSealer(t, 1).Seal("13800138000")
	if _, err := testSealer(t, 2).Open(sealed); err == nil {
		t.Fatal("opened with the wrong key")
	}
	if _, err := testSealer(t, 1).Open("not base64!"); err == nil {
		t.Fatal("opened garbage")
	}
}

func TestIndexIsDeterministicAndKeyed(t *testing.T) {
	a, b := testSealer(t, 1), testSealer(t, 2)
	if a.Index("x") != a.Index("x") {
		t.Error("index not deterministic")
	}
	if a.Index("x") == b.Index("x") {
		t.Error("index does not depend on the key")
	}
	if a.Index("x") == a.Index("y") {
		t.Error("index collides")
	}
}

func TestKeyFileCreatedOnceThenReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	k1, created, err := LoadOrCreateKeyFile(path)
	if err != nil || !created || len(k1) != KeySize {
		t.Fatalf("first load: %v created=%v len=%d", err, created, len(k1))
	}
	k2, created, err := LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: %v created=%v equal=%v", err, created, bytes.Equal(k1, k2))
	}
	if _, err := ParseKey("abcd"); err == nil {
		t.Error("short key accepted")
	}
}
