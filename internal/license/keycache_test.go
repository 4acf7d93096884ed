package license

import (
	"testing"

	"github.com/tongban/tongban"
)

// TestSignCachesTheParsedKeyByIDAndDER: signing again with a key is
// answered from the cache, and a different key that arrives under the same
// id (its DER differs) signs with its own private half, never the cached
// one; a published key parsed once is the same key next time.
func TestSignCachesTheParsedKeyByIDAndDER(t *testing.T) {
	payload, err := Canonical(sampleLicense())
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewSealKey(1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSealKey(2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sign(a, payload); err != nil {
		t.Fatal(err)
	}
	if cachedPrivate(a.ID, a.PrivateDER) == nil {
		t.Fatal("a key signed with is not cached")
	}
	b.ID = a.ID // the same id, another key
	if cachedPrivate(b.ID, b.PrivateDER) != nil {
		t.Fatal("the cache answers another key's DER under the same id")
	}
	for _, k := range []struct {
		name       string
		key        *tongban.SealKey
		own, other string
	}{{"first", a, a.PublicPEM, b.PublicPEM}, {"second", b, b.PublicPEM, a.PublicPEM}} {
		sig, err := Sign(k.key, payload)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := VerifySignature(k.own, payload, sig); !ok || err != nil {
			t.Fatalf("%s key: its signature does not verify with its own public key (%v)", k.name, err)
		}
		if ok, _ := VerifySignature(k.other, payload, sig); ok {
			t.Fatalf("%s key signed with the other key's private half", k.name)
		}
	}
	p1, err := ParsePublicKey(a.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	if p2, _ := ParsePublicKey(a.PublicPEM); p2 != p1 {
		t.Fatal("a published key parsed twice")
	}
	if _, err := ParsePublicKey("not a key"); err == nil {
		t.Fatal("a bad PEM parsed")
	}
}
