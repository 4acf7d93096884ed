package outbox

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of a webhook delivery. The signature covers the timestamp and the
// exact body bytes: v1=hex(HMAC-SHA256(secret, timestamp + "." + body)).
const (
	HeaderEventID    = "Tongban-Event-Id"    // the event's ID, the same on every redelivery: drop repeats by it
	HeaderEventType  = "Tongban-Event-Type"  // e.g. case.accepted
	HeaderDeliveryID = "Tongban-Delivery-Id" // this delivery (one event to one webhook)
	HeaderTimestamp  = "Tongban-Timestamp"   // Unix seconds when signed
	HeaderSignature  = "Tongban-Signature"   // v1=<hex>
)

// Sign returns the signature header value for body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	return "v1=" + hex.EncodeToString(mac(secret, strconv.FormatInt(ts.Unix(), 10), body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a delivery as a receiver should: the signature matches the
// timestamp and body under secret, and the timestamp is within tolerance
// of now (refusing replays of old deliveries). It is what docs/integration.md
// describes, and what the tests' receivers use.
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("webhook: malformed timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook: timestamp outside tolerance")
	}
	for _, part := range strings.Split(signature, ",") {
		got, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !ok {
			continue
		}
		raw, err := hex.DecodeString(got)
		if err == nil && hmac.Equal(raw, mac(secret, timestamp, body)) {
			return nil
		}
	}
	return errors.New("webhook: signature mismatch")
}

// NewSecret returns a fresh webhook signing secret.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("outbox: no randomness: " + err.Error())
	}
	return "whsec_" + hex.EncodeToString(b)
}
