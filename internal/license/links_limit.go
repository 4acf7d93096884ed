package license

import (
	"context"
	"time"

	"github.com/tongban/tongban"
)

// The verify page is anonymous, so an address that keeps asking for tokens
// that do not exist is guessing: each address may miss VerifyMisses times
// per VerifyWindow — the budget of 办件查询 (/progress), counted by the same
// database limiter so it holds across servers — after which its every
// visit is refused until the window passes. A known token is not a guess
// (whoever holds it holds the QR code, and the visit is recorded), so it
// costs nothing: a service hall behind one address, or a verifier checking
// many licences, is not turned away.
const (
	VerifyMisses = 30
	VerifyWindow = 15 * time.Minute
)

// OpenLinkFrom is OpenLink for a visitor at address ip, within the
// address's budget of misses. A known token is read with the address's
// misses in one statement; only a miss counts them apart and records one.
func OpenLinkFrom(ctx context.Context, st tongban.Store, visits VisitRecorder, ip, token string, now time.Time) (*Visit, error) {
	key, since := "verify:"+ip, now.Add(-VerifyWindow)
	token = normalToken(token)
	if wellFormedToken(token) {
		misses, k, l, err := st.LicenseLinkWithMisses(ctx, token, key, since)
		switch {
		case err == nil && misses >= VerifyMisses:
			return nil, tooManyMisses()
		case err == nil:
			return openLink(ctx, st, visits, k, l, now)
		case !tongban.IsCode(err, tongban.ENotFound):
			return nil, err
		}
	}
	n, err := st.Failures(ctx, key, since)
	if err != nil {
		return nil, err
	}
	if n >= VerifyMisses {
		return nil, tooManyMisses()
	}
	if err := st.RecordFailure(ctx, key, now); err != nil {
		return nil, err
	}
	return nil, unknownToken()
}

func tooManyMisses() error {
	return &tongban.Error{Code: tongban.ETooManyTries, Message: "核验请求过于频繁，请15分钟后再试", RetryAfter: VerifyWindow}
}
