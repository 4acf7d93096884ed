// Package audit keeps the append-only security log. Each entry's hash is an
// SM3-HMAC, keyed with a key derived from the platform secret (never in the
// database), over the previous entry's hash and the entry's own fields, so
// altering or removing any row breaks the chain from that row on, and a
// database writer without the secret cannot recompute the links. Signed
// checkpoints of the head, kept outside the database (checkpoint.go), catch
// what links alone cannot: a cut tail with the head reset, or a rewrite by
// someone who has the key. Verify names the first entry that disagrees.
//
// Actions queue their entries in their own transactions; Seal links queued
// entries into the chain afterwards, in batches. Chaining inside every
// action's transaction would hold the chain head locked until that action
// commits and so serialize every write in the city (see docs/benchmarks.md).
package audit

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/tongban/tongban"
)

// Hash computes an entry's link: SM3-HMAC under key over the previous hash
// and the entry's fields. Fields are joined with the ASCII unit separator,
// which no field contains after sanitising, so no two different entries
// hash alike by shifting text between fields.
func Hash(key []byte, prevHash string, e *tongban.AuditEntry) string {
	m := hmac.New(sm3.New, key)
	m.Write(canonical(prevHash, e))
	return hex.EncodeToString(m.Sum(nil))
}

// unkeyedHash is the link before migration 00010: plain SM3, which anyone
// who can write the database could recompute. Rekey reads chains of it.
func unkeyedHash(prevHash string, e *tongban.AuditEntry) string {
	h := sm3.New()
	h.Write(canonical(prevHash, e))
	return hex.EncodeToString(h.Sum(nil))
}

func canonical(prevHash string, e *tongban.AuditEntry) []byte {
	fields := []string{
		prevHash,
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Object, e.Detail, e.IP,
	}
	return []byte(strings.Join(fields, "\x1f"))
}

// Append queues e inside st's transaction (joining it when st is already
// transactional, so the entry commits with the action it records). It takes
// no lock: the sealer links queued entries into the chain after commit.
func Append(ctx context.Context, st tongban.Store, e *tongban.AuditEntry) error {
	e.Actor = sanitize(e.Actor)
	e.Action = sanitize(e.Action)
	e.Object = sanitize(e.Object)
	e.Detail = sanitize(e.Detail)
	e.IP = sanitize(e.IP)
	// Both engines keep microseconds; hashing more would not verify.
	e.At = e.At.UTC().Truncate(time.Microsecond)
	return st.QueueAudit(ctx, e)
}

func sanitize(s string) string { return strings.ReplaceAll(s, "\x1f", " ") }
