package outbox

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/tongban/tongban"
)

// NATS publishes events to a JetStream stream, subjects
// "tongban.{concept}.{region}.{event}" (tongban.case.511602.accepted), each
// with its event ID as Nats-Msg-Id so the server drops a repeat sent within
// the stream's duplicate window; consumers should still drop repeats by ID.
type NATS struct {
	URL    string
	Stream string // created (or updated) at first use with subjects "tongban.>"; "TONGBAN" if empty

	mu sync.Mutex
	nc *nats.Conn
	js jetstream.JetStream
}

// Name is the NATS sink's cursor.
func (n *NATS) Name() string { return "nats" }

// SubjectPrefix starts every subject Tongban publishes.
const SubjectPrefix = "tongban"

// Subject is where an event is published: tongban.{concept}.{region}.{event}.
// Events without a region go under "all".
func Subject(e *tongban.OutboxEvent) string {
	concept, event, _ := strings.Cut(e.Type, ".")
	region := e.RegionCode
	if region == "" {
		region = "all"
	}
	return SubjectPrefix + "." + token(concept) + "." + token(region) + "." + event
}

// token keeps a subject token free of NATS's special characters.
func token(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '*', '>', ' ', '\t', '\r', '\n':
			return '_'
		}
		return r
	}, s)
}

func (n *NATS) connect(ctx context.Context) (jetstream.JetStream, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.js != nil {
		return n.js, nil
	}
	nc, err := nats.Connect(n.URL, nats.Name("tongban"), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second))
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	stream := n.Stream
	if stream == "" {
		stream = "TONGBAN"
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: stream,
		Subjects: []string{SubjectPrefix + ".>"}, Duplicates: 2 * time.Minute, Storage: jetstream.FileStorage}); err != nil {
		nc.Close()
		return nil, err
	}
	n.nc, n.js = nc, js
	return js, nil
}

// Send publishes events in order, pipelined, and waits for the server's
// acknowledgements; it returns how many from the first were acknowledged.
func (n *NATS) Send(ctx context.Context, events []*tongban.OutboxEvent) (int, error) {
	js, err := n.connect(ctx)
	if err != nil {
		return 0, err
	}
	futures := make([]jetstream.PubAckFuture, 0, len(events))
	for _, e := range events {
		body, err := json.Marshal(e)
		if err != nil {
			return 0, err
		}
		msg := nats.NewMsg(Subject(e))
		msg.Data = body
		msg.Header.Set(HeaderEventType, e.Type)
		f, err := js.PublishMsgAsync(msg, jetstream.WithMsgID(e.EventID))
		if err != nil {
			break
		}
		futures = append(futures, f)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return i, err
		case <-ctx.Done():
			return i, ctx.Err()
		}
	}
	if len(futures) < len(events) {
		return len(futures), tongban.Errorf(tongban.EUnavailable, "NATS 暂时不可用")
	}
	return len(events), nil
}

// Close closes the connection.
func (n *NATS) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.nc != nil {
		n.nc.Close()
		n.nc, n.js = nil, nil
	}
}
