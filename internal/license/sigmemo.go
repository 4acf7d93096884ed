package license

import (
	"crypto/sha256"
	"sync"
)

// sigMemo remembers signatures that verified. Whether an SM2 signature
// verifies is a pure function of the public key, the signed bytes and the
// signature, so a repeat check of the same three — a licence's QR scanned
// again — need not pay the SM2 verification (most of a verify page's CPU);
// anything that differs (a tampered row, another key) misses the memo and
// is checked. Only successes are kept, at most sigMemoMax, the whole memo
// dropped when full. It holds hashes, nothing personal.
type sigMemo struct {
	mu sync.Mutex
	ok map[[32]byte]struct{}
}

const sigMemoMax = 1 << 16

// verified is the process's memo: a cache of a pure function, not state.
var verified = &sigMemo{ok: map[[32]byte]struct{}{}}

func memoKey(publicPEM string, payload, sig []byte) [32]byte {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(publicPEM), payload, sig} {
		var n [8]byte
		for i, l := 0, uint64(len(part)); i < 8; i++ {
			n[i] = byte(l >> (8 * i))
		}
		h.Write(n[:]) // lengths first: no two triples hash the same input
		h.Write(part)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// verify is VerifySignature through the memo.
func (m *sigMemo) verify(publicPEM string, payload, sig []byte) (bool, error) {
	k := memoKey(publicPEM, payload, sig)
	m.mu.Lock()
	_, hit := m.ok[k]
	m.mu.Unlock()
	if hit {
		return true, nil
	}
	ok, err := VerifySignature(publicPEM, payload, sig)
	if ok && err == nil {
		m.mu.Lock()
		if len(m.ok) >= sigMemoMax {
			clear(m.ok)
		}
		m.ok[k] = struct{}{}
		m.mu.Unlock()
	}
	return ok, err
}
