package license

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"sync"

	"github.com/emmansun/gmsm/sm2"
	"github.com/tongban/tongban"
)

// keyCacheMax bounds each cache: seal keys are one per org and rotation, so
// a city has a few thousand at most; past the bound the cache starts over.
const keyCacheMax = 4096

// Parsing a key costs more than signing with it: ParsePKCS8PrivateKey
// derives the public point from the private scalar (a scalar
// multiplication), so Sign ran at about half of gmsm's raw rate. A seal key
// never changes once made (rotation makes a new id), so the parsed key is
// kept in memory by id — only in memory: the private half stays sealed at
// rest. The DER it was parsed from is kept beside it and compared on each
// use, so a different key under the same id (a test, a restore) is parsed
// again, never signed with the wrong key.
type privateEntry struct {
	der []byte
	key *sm2.PrivateKey
}

var privateKeys = struct {
	sync.RWMutex
	m map[string]privateEntry
}{m: map[string]privateEntry{}}

func cachedPrivate(id string, der []byte) *sm2.PrivateKey {
	privateKeys.RLock()
	e, ok := privateKeys.m[id]
	privateKeys.RUnlock()
	if ok && bytes.Equal(e.der, der) {
		return e.key
	}
	return nil
}

func cachePrivate(id string, der []byte, key *sm2.PrivateKey) {
	privateKeys.Lock()
	defer privateKeys.Unlock()
	if len(privateKeys.m) >= keyCacheMax {
		privateKeys.m = map[string]privateEntry{}
	}
	privateKeys.m[id] = privateEntry{der: bytes.Clone(der), key: key}
}

// Published keys are parsed once per PEM text, the text itself the key:
// the same text always parses to the same key.
var publicKeys = struct {
	sync.RWMutex
	m map[string]*ecdsa.PublicKey
}{m: map[string]*ecdsa.PublicKey{}}

func cachedPublic(publicPEM string) *ecdsa.PublicKey {
	publicKeys.RLock()
	defer publicKeys.RUnlock()
	return publicKeys.m[publicPEM]
}

func cachePublic(publicPEM string, pub *ecdsa.PublicKey) {
	publicKeys.Lock()
	defer publicKeys.Unlock()
	if len(publicKeys.m) >= keyCacheMax {
		publicKeys.m = map[string]*ecdsa.PublicKey{}
	}
	publicKeys.m[publicPEM] = pub
}

// A seal key's published half never changes (rotation makes a new key and
// only marks the old one retired), and its id is the SHA-256 of that half
// (NewSealKey), so the verify page reads it from the store once per id;
// reading the whole key also opened its sealed private half, which
// verifying never needs. Only a key its id names is remembered.
var publishedPEMs = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

// publishedKey is the PEM of the seal key id (ENotFound if there is none).
func publishedKey(ctx context.Context, st tongban.LicenseStore, id string) (string, error) {
	publishedPEMs.RLock()
	pem, ok := publishedPEMs.m[id]
	publishedPEMs.RUnlock()
	if ok {
		return pem, nil
	}
	k, err := st.SealKey(ctx, id)
	if err != nil {
		return "", err
	}
	if !namesKey(id, k.PublicPEM) {
		return k.PublicPEM, nil // an id that does not name its key proves nothing to remember
	}
	publishedPEMs.Lock()
	defer publishedPEMs.Unlock()
	if len(publishedPEMs.m) >= keyCacheMax {
		publishedPEMs.m = map[string]string{}
	}
	publishedPEMs.m[id] = k.PublicPEM
	return k.PublicPEM, nil
}

// namesKey reports whether id is the key id NewSealKey gives publicPEM.
func namesKey(id, publicPEM string) bool {
	block, _ := pem.Decode([]byte(publicPEM))
	if block == nil {
		return false
	}
	sum := sha256.Sum256(block.Bytes)
	return hex.EncodeToString(sum[:8]) == id
}
