package license

import (
	"bytes"
	"crypto/ecdsa"
	"sync"

	"github.com/emmansun/gmsm/sm2"
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
