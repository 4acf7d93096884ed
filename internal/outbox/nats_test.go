package outbox_test

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/outbox"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// startNATS runs a real `nats-server -js` (Debian's nats-server, installed
// by scripts/test-deps) on a free port for the test, and returns its URL.
func startNATS(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		bin, err = exec.LookPath("/usr/sbin/nats-server") // Debian's package, off a user's PATH
	}
	if err != nil {
		if storetest.Required() {
			t.Fatal("nats-server is required (CI=true) but not installed; run scripts/test-deps")
		}
		t.Skip("nats-server not installed; skipping (scripts/test-deps installs it)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "-js", "-a", "127.0.0.1", "-p", fmt.Sprint(port), "-sd", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; {
		nc, err := nats.Connect(url)
		if err == nil {
			nc.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Events reach JetStream under tongban.{concept}.{region}.{event}, in
// order, each with its event ID as Nats-Msg-Id; a resend after a crash
// (the cursor not yet moved) is dropped by the server as a duplicate.
func TestJetStreamPublishing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		w := newWorld(t, d)
		sink := &outbox.NATS{URL: startNATS(t), Stream: "TONGBAN"}
		defer sink.Close()
		p := w.publisher(sink)
		w.run(p)
		for i := range 3 {
			w.event("case.submitted", fmt.Sprintf("case:%d", i), w.dept)
			w.event("case.accepted", fmt.Sprintf("case:%d", i), w.other)
		}
		w.event("license.issued", "license:1", w.dept)
		w.run(p)
		all := w.stored()

		nc, err := nats.Connect(sink.URL)
		w.must(err)
		defer nc.Close()
		js, err := jetstream.New(nc)
		w.must(err)
		stream, err := js.Stream(w.ctx, "TONGBAN")
		w.must(err)
		info, err := stream.Info(w.ctx)
		w.must(err)
		if info.State.Msgs != uint64(len(all)) {
			t.Fatalf("stream holds %d messages, want %d", info.State.Msgs, len(all))
		}
		for i, e := range all {
			msg, err := stream.GetMsg(w.ctx, uint64(i+1))
			w.must(err)
			want := fmt.Sprintf("tongban.%s", map[string]string{
				"case.submitted": "case.511602000000.submitted", "case.accepted": "case.511603000000.accepted",
				"license.issued": "license.511602000000.issued"}[e.Type])
			if msg.Subject != want || msg.Header.Get(jetstream.MsgIDHeader) != e.EventID {
				t.Errorf("message %d: subject %s id %s; want %s id %s", i+1, msg.Subject,
					msg.Header.Get(jetstream.MsgIDHeader), want, e.EventID)
			}
		}

		// A consumer filtering one district's case events sees them in order.
		cons, err := stream.OrderedConsumer(w.ctx, jetstream.OrderedConsumerConfig{
			FilterSubjects: []string{"tongban.case.511603000000.>"}})
		w.must(err)
		batch, err := cons.Fetch(10, jetstream.FetchMaxWait(2*time.Second))
		w.must(err)
		var subjects []string
		for m := range batch.Messages() {
			subjects = append(subjects, string(m.Headers().Get(outbox.HeaderEventType)))
		}
		if len(subjects) != 3 {
			t.Errorf("the other district's consumer got %v", subjects)
		}

		// A crash after sending, before the cursor moved: sent again, dropped.
		w.must(w.st.Transact(w.ctx, func(tx tongban.Store) error { return tx.SetOutboxCursor(w.ctx, "nats", 0, w.clock.Now()) }))
		w.run(p)
		info, err = stream.Info(context.Background())
		w.must(err)
		if info.State.Msgs != uint64(len(all)) {
			t.Errorf("after a resend the stream holds %d messages, want still %d", info.State.Msgs, len(all))
		}
	})
}
