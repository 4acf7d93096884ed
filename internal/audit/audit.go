// Package audit keeps the append-only security log. Each entry's hash is
// SM3 over the previous entry's hash and the entry's own fields, so altering
// or removing any row breaks the chain from that row on, and Verify finds
// the first broken link.
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

// Append adds e to the chain inside st's transaction (joining it when st is
// already transactional, so the entry commits with the action it records).
func Append(ctx context.Context, st tongban.Store, e *tongban.AuditEntry) error {
	e.Actor = sanitize(e.Actor)
	e.Action = sanitize(e.Action)
	e.Object = sanitize(e.Object)
	e.Detail = sanitize(e.Detail)
	e.IP = sanitize(e.IP)
	// Both engines keep microseconds; hashing more would not verify.
	e.At = e.At.UTC().Truncate(time.Microsecond)
	return st.Transact(ctx, func(tx tongban.Store) error {
		seq, head, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		e.Seq = seq + 1
		e.PrevHash = head
		e.Hash = Hash(head, e)
		return tx.InsertAudit(ctx, e)
	})
}

func sanitize(s string) string { return strings.ReplaceAll(s, "\x1f", " ") }
