// Package outbox announces changes to other systems. Actions call Append
// inside their own transaction, so an event commits with its change; the
// publisher (delivery to webhooks and NATS) reads the table afterwards.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// Append stores an event of type typ about subject inside st's transaction
// (joining it when st is already transactional). payload is marshalled to
// JSON (by itself when it is a JSONAppender); the event gets a fresh
// unique EventID.
func Append(ctx context.Context, st tongban.Store, typ, subject string, scope Scope, at time.Time, payload any) error {
	if !strings.Contains(typ, ".") || subject == "" {
		return tongban.Errorf(tongban.EInternal, "outbox: event type %q or subject %q malformed", typ, subject)
	}
	var body []byte
	var err error
	if p, ok := payload.(JSONAppender); ok {
		body, err = p.AppendJSON(make([]byte, 0, 512))
	} else {
		body, err = json.Marshal(payload)
	}
	if err != nil {
		return tongban.Wrap(tongban.EInternal, err, "outbox: encode %s", typ)
	}
	e := &tongban.OutboxEvent{EventID: NewEventID(), Type: typ, Subject: subject, RegionCode: scope.RegionCode,
		OrgID: scope.OrgID, At: at, Payload: body}
	return st.Transact(ctx, func(tx tongban.Store) error { return tx.AppendOutbox(ctx, e) })
}

// Scope says where an event belongs, for subscribers that filter by region
// or department.
type Scope struct {
	RegionCode string
	OrgID      int64
}

// NewEventID is 128 bits in hex: the Unix time in milliseconds (48 bits,
// big-endian) then 80 random bits. Unique (80 random bits a millisecond),
// not secret. Led by the time, new IDs go to the right edge of the
// outbox's event_id index, where the last insert left its page dirty and
// cached: an action's events (a signed issue's case and licence events,
// one insert) share one leaf there instead of each dirtying a random leaf
// of the whole index, one more page written and synced per commit (on
// SQLite while its one writer is held).
func NewEventID() string {
	return eventIDAt(time.Now())
}

func eventIDAt(t time.Time) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("outbox: no randomness: " + err.Error())
	}
	ms := uint64(t.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i], ms = byte(ms), ms>>8
	}
	return hex.EncodeToString(b)
}
