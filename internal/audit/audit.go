// Package audit keeps the append-only security log. Each entry's hash is
// SM3 over the previous entry's hash and the entry's own fields, so altering
// or removing any row breaks the chain from that row on, and Verify finds
// the first broken link.
//
// Actions queue their entries in their own transactions; Seal links queued
// entries into the chain afterwards, in batches. Chaining inside every
// action's transaction would hold the chain head locked until that action
// commits and so serialize every write in the city (see docs/benchmarks.md).
package audit

import (
	"context"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/tongban/tongban"
)

// Hash computes an entry's link hash from the previous hash and its fields.
// Fields are joined with the ASCII unit separator, which no field contains
// after sanitising, so no two different entries hash alike by shifting text
// between fields.
func Hash(prevHash string, e *tongban.AuditEntry) string {
	fields := []string{
		prevHash,
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.Actor, e.Action, e.Object, e.Detail, e.IP,
	}
	h := sm3.New()
	h.Write([]byte(strings.Join(fields, "\x1f")))
	return hex.EncodeToString(h.Sum(nil))
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
