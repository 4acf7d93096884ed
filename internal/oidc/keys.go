package oidc

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/tongban/tongban"
)

// The algorithms ID tokens are signed with. RS256 is what OIDC requires
// every provider to offer; ES256 is smaller and faster. SM2 has no
// registered JOSE algorithm, and clients refuse a key set holding a key
// they do not know, so no SM2 key is ever published here.
const (
	RS256 = string(jose.RS256)
	ES256 = string(jose.ES256)
)

// Algorithms lists the signing algorithms, the default first.
var Algorithms = []string{RS256, ES256}

// signingKey is one of the provider's keys: op.SigningKey for signing and
// op.Key for the key set.
type signingKey struct {
	kid  string
	alg  jose.SignatureAlgorithm
	priv crypto.Signer
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return k.alg }
func (k *signingKey) Algorithm() jose.SignatureAlgorithm          { return k.alg }
func (k *signingKey) ID() string                                  { return k.kid }
func (k *signingKey) Use() string                                 { return "sig" }

// Key is the private key when signing (op.SigningKey) — the key set asks
// for public keys through publicKey.
func (k *signingKey) Key() any { return k.priv }

// publicKey is a signingKey seen from outside (op.Key).
type publicKey struct{ k *signingKey }

func (p publicKey) ID() string                         { return p.k.kid }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return p.k.alg }
func (p publicKey) Use() string                        { return "sig" }
func (p publicKey) Key() any                           { return p.k.priv.Public() }

// keyring holds the signing keys: made on the first start, stored sealed
// with the platform secret (never derived from a constant), read by every
// server from the database.
type keyring struct {
	mu   sync.Mutex
	keys map[string]*signingKey // by algorithm
}

func (r *keyring) load(ctx context.Context, st tongban.Store, clock tongban.Clock) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	stored, err := st.OIDCKeys(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, k := range stored {
		have[k.Alg] = true
	}
	for _, alg := range Algorithms {
		if have[alg] {
			continue
		}
		k, err := newKey(alg)
		if err != nil {
			return err
		}
		der, err := x509.MarshalPKCS8PrivateKey(k.priv)
		if err != nil {
			return err
		}
		// Servers starting together: one key per algorithm wins, all read it.
		if _, err := st.AddOIDCKey(ctx, &tongban.OIDCKey{KID: k.kid, Alg: alg, PrivateDER: der, CreatedAt: clock.Now()}); err != nil {
			return err
		}
	}
	if stored, err = st.OIDCKeys(ctx); err != nil {
		return err
	}
	r.keys = map[string]*signingKey{}
	for _, k := range stored {
		priv, err := x509.ParsePKCS8PrivateKey(k.PrivateDER)
		if err != nil {
			return tongban.Wrap(tongban.EInternal, err, "签名密钥 %s 已损坏", k.KID)
		}
		signer, ok := priv.(crypto.Signer)
		if !ok {
			return tongban.Errorf(tongban.EInternal, "签名密钥 %s 不能签名", k.KID)
		}
		r.keys[k.Alg] = &signingKey{kid: k.KID, alg: jose.SignatureAlgorithm(k.Alg), priv: signer}
	}
	for _, alg := range Algorithms {
		if r.keys[alg] == nil {
			return tongban.Errorf(tongban.EInternal, "缺少 %s 签名密钥", alg)
		}
	}
	return nil
}

func newKey(alg string) (*signingKey, error) {
	var priv crypto.Signer
	var err error
	switch alg {
	case RS256:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, fmt.Errorf("oidc: no key for %s", alg)
	}
	if err != nil {
		return nil, err
	}
	return &signingKey{kid: thumbprint(priv.Public(), alg), alg: jose.SignatureAlgorithm(alg), priv: priv}, nil
}

// thumbprint names a key by its RFC 7638 thumbprint (go-jose computes it).
func thumbprint(pub crypto.PublicKey, alg string) string {
	jwk := jose.JSONWebKey{Key: pub, Algorithm: alg, Use: "sig"}
	sum, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		h := sha256.Sum256([]byte(alg))
		sum = h[:]
	}
	return base64.RawURLEncoding.EncodeToString(sum)
}

func (r *keyring) get(alg string) *signingKey {
	r.mu.Lock()
	defer r.mu.Unlock()
	if k := r.keys[alg]; k != nil {
		return k
	}
	return r.keys[RS256]
}

func (r *keyring) public() []publicKey {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []publicKey
	for _, alg := range Algorithms {
		if k := r.keys[alg]; k != nil {
			out = append(out, publicKey{k})
		}
	}
	return out
}
