package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/tongban/tongban/internal/license"
)

// Seals measures SM2-SM3 signing and verification as licences use them
// (license.Sign and VerifySignature keep the parsed keys, by id and by PEM:
// the same key is signed with here each time, as an issuer's is) beside gmsm's raw rates on a parsed key, in
// this process, one core each, alternately. The issue asks for the rates
// printed side by side; no goal is set on them.
func (p *Plan) Seals(ctx context.Context) ([]Row, []Goal, error) {
	key, err := license.NewSealKey(1)
	if err != nil {
		return nil, nil, err
	}
	pub, err := license.ParsePublicKey(key.PublicPEM)
	if err != nil {
		return nil, nil, err
	}
	priv, err := parseSM2(key.PrivateDER)
	if err != nil {
		return nil, nil, err
	}
	payload := make([]byte, 1500) // about a licence's canonical metadata and face
	if _, err := rand.Read(payload); err != nil {
		return nil, nil, err
	}
	sig, err := license.Sign(key, payload)
	if err != nil {
		return nil, nil, err
	}
	var failed error
	fail := func(err error) {
		if err != nil && failed == nil {
			failed = err
		}
	}
	sides := []struct {
		scenario, refName string
		ours, raw         func()
	}{
		{"SM2-SM3 sign (license.Sign)", "gmsm sm2.SignASN1 on a parsed key",
			func() { _, err := license.Sign(key, payload); fail(err) },
			func() { _, err := sm2.SignASN1(rand.Reader, priv, payload, sm2.DefaultSM2SignerOpts); fail(err) }},
		{"SM2-SM3 verify (license.VerifySignature)", "gmsm sm2.VerifyASN1WithSM2 on a parsed key",
			func() {
				if ok, err := license.VerifySignature(key.PublicPEM, payload, sig); !ok {
					fail(fmt.Errorf("verify: %v", err))
				}
			},
			func() {
				if !sm2.VerifyASN1WithSM2(pub, []byte(license.SignerID), payload, sig) {
					fail(fmt.Errorf("raw verify failed"))
				}
			}},
	}
	var rows []Row
	for _, s := range sides {
		p.logf("seals: %s, %d pairs", s.scenario, p.Pairs)
		cmp, err := Alternate(ctx, p.Pairs,
			func(context.Context) (Measurement, error) { return benchRate(s.raw), nil },
			func(context.Context) (Measurement, error) { return benchRate(s.ours), nil })
		if err != nil {
			return rows, nil, err
		}
		if failed != nil {
			return rows, nil, failed
		}
		rows = append(rows, Row{Scenario: s.scenario, Engine: "—", Clients: 1, Unit: "ops/s",
			Subject: cmp.MedianSubject(), RefName: s.refName, Ref: cmp.MedianRef(), Ratios: cmp.Ratios(),
			Note: "in process, one goroutine, 1,500-byte payload"})
	}
	return rows, nil, nil
}

// benchRate runs f under testing.Benchmark and gives its rate.
func benchRate(f func()) Measurement {
	r := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			f()
		}
	})
	if r.N == 0 || r.T <= 0 {
		return Measurement{}
	}
	per := r.T / time.Duration(r.N)
	return Measurement{Throughput: float64(r.N) / r.T.Seconds(), Avg: per, Ops: r.N}
}

// parseSM2 reads a sealed key's PKCS #8 private half once, as a raw
// caller of gmsm would keep it.
func parseSM2(der []byte) (*sm2.PrivateKey, error) {
	key, err := smx509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, err
	}
	priv, ok := key.(*sm2.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("not an SM2 key")
	}
	return priv, nil
}
