package license

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/tongban/tongban"
)

// Algorithm names SM2 signatures over SM3 with the default signer ID.
const Algorithm = "SM2-SM3"

// SignerID is GB/T 35276's default SM2 user ID, the one OpenSSL and GmSSL
// assume; the signature's Z value is computed from it.
const SignerID = "1234567812345678"

// NewSealKey generates an SM2 seal key for an org. Its ID is the first 16
// hex digits of the SHA-256 of the public key's DER, so a verifier can
// check that a published key is the one the ID names.
func NewSealKey(orgID int64) (*tongban.SealKey, error) {
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	privDER, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, err
	}
	pubDER, err := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(pubDER)
	return &tongban.SealKey{
		ID: hex.EncodeToString(sum[:8]), OrgID: orgID, Algorithm: Algorithm,
		PublicPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})),
		PrivateDER: privDER,
	}, nil
}

// Sign signs payload with the key's private half: SM2 with SM3 over the
// raw payload and the default signer ID, DER-encoded.
// The parsed key is cached by id (keycache.go).
func Sign(k *tongban.SealKey, payload []byte) ([]byte, error) {
	priv := cachedPrivate(k.ID, k.PrivateDER)
	if priv == nil {
		key, err := smx509.ParsePKCS8PrivateKey(k.PrivateDER)
		if err != nil {
			return nil, fmt.Errorf("seal key %s: %w", k.ID, err)
		}
		var ok bool
		if priv, ok = key.(*sm2.PrivateKey); !ok {
			return nil, fmt.Errorf("seal key %s is not SM2", k.ID)
		}
		cachePrivate(k.ID, k.PrivateDER, priv)
	}
	return sm2.SignASN1(rand.Reader, priv, payload, sm2.DefaultSM2SignerOpts)
}

// VerifySignature reports whether sig is the key's signature over payload.
func VerifySignature(publicPEM string, payload, sig []byte) (bool, error) {
	pub, err := ParsePublicKey(publicPEM)
	if err != nil {
		return false, err
	}
	return sm2.VerifyASN1WithSM2(pub, []byte(SignerID), payload, sig), nil
}

// ParsePublicKey reads a PEM SubjectPublicKeyInfo holding an SM2 key; a
// text parsed before is answered from memory (keycache.go). The key
// returned is shared: callers must not modify it.
func ParsePublicKey(publicPEM string) (*ecdsa.PublicKey, error) {
	if pub := cachedPublic(publicPEM); pub != nil {
		return pub, nil
	}
	pub, err := parsePublicKey(publicPEM)
	if err == nil {
		cachePublic(publicPEM, pub)
	}
	return pub, err
}

func parsePublicKey(publicPEM string) (*ecdsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(publicPEM))
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("not a PEM public key")
	}
	key, err := smx509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := key.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("not an SM2 public key")
	}
	return pub, nil
}
