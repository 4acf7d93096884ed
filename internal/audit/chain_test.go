package audit

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/store"
	"github.com/tongban/tongban/internal/storetest"
)

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func testAnchor(t *testing.T, sinks ...Sink) *Anchor {
	t.Helper()
	key, err := SigningKey(storetest.TestKey)
	if err != nil {
		t.Fatal(err)
	}
	return &Anchor{File: filepath.Join(t.TempDir(), CheckpointFile), Key: key, Sinks: sinks,
		Clock: tongban.NewManualClock(t0), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// chain appends n entries (one seal and one checkpoint per `every`
// entries) and returns the store.
func chain(t *testing.T, d sqldb.Dialect, a *Anchor, n, every int) *store.Store {
	t.Helper()
	st, ctx := storetest.Open(t, d), context.Background()
	for i := 1; i <= n; i++ {
		if err := Append(ctx, st, &tongban.AuditEntry{At: t0.Add(time.Duration(i) * time.Minute), Actor: "甲",
			Action: tongban.AuditLogin, Object: "user:" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
		if i%every == 0 || i == n {
			if _, err := Seal(ctx, st); err != nil {
				t.Fatal(err)
			}
			if err := a.CheckpointHead(ctx, st, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	return st
}

func exec(t *testing.T, st *store.Store, query string, args ...any) {
	t.Helper()
	if _, err := st.DB().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

// rewrite changes entry seq's detail and recomputes every later link with
// hash, as a database writer covering their tracks would, head included.
func rewrite(t *testing.T, st *store.Store, seq int64, hash func(prev string, e *tongban.AuditEntry) string) {
	t.Helper()
	ctx := context.Background()
	exec(t, st, `UPDATE audit_log SET detail = '改过' WHERE seq = $1`, seq)
	entries, err := st.AuditEntries(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	prev := ""
	for _, e := range entries {
		if e.Seq >= seq {
			e.PrevHash, e.Hash = prev, hash(prev, e)
			exec(t, st, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3`, e.PrevHash, e.Hash, e.Seq)
		}
		prev = e.Hash
	}
	exec(t, st, `UPDATE audit_head SET hash = $1`, prev)
}

// A writer of the database who rewrites an entry and recomputes every later
// hash is caught: without the key the links fail at that very entry; with
// the key (stolen, but not the checkpoint file) the signed checkpoints
// disagree, naming the span since the last checkpoint that still agrees.
func TestAuditRewriteWithRecomputedHashesDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		a := testAnchor(t)
		st := chain(t, d, a, 20, 5)
		if rep, err := a.Verify(ctx, st); err != nil || !rep.OK() || rep.Entries != 20 || rep.Checkpoints != 4 {
			t.Fatalf("intact chain: %+v, %v", rep, err)
		}

		rewrite(t, st, 7, unkeyedHash) // the old, unkeyed scheme: anyone could recompute it
		rep, _ := a.Verify(ctx, st)
		if rep.BrokenAt != 7 || !strings.Contains(rep.Reason, "row altered") {
			t.Fatalf("rewrite without the key: %+v, want entry 7 named", rep)
		}
		if rep, _ := Verify(ctx, st); rep.BrokenAt != 7 {
			t.Errorf("links alone: %+v, want entry 7", rep)
		}

		rewrite(t, st, 7, func(prev string, e *tongban.AuditEntry) string { return Hash(st.AuditChainKey(), prev, e) })
		if rep, _ := Verify(ctx, st); !rep.OK() {
			t.Fatalf("with the key the links agree again (the checkpoints are what catch it): %+v", rep)
		}
		rep, _ = a.Verify(ctx, st)
		if rep.BrokenAt != 6 || !strings.Contains(rep.Reason, "entries 6–10 were rewritten") {
			t.Fatalf("rewrite with the key: %+v, want entries 6–10 named (checkpoints at 5 and 10)", rep)
		}
		t.Log(rep)
	})
}

// Cutting the tail and resetting the head to the new last entry leaves
// links that agree; the checkpoints name the first missing entry.
func TestAuditTailCutWithHeadResetDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		a := testAnchor(t)
		st := chain(t, d, a, 12, 4)
		entries, _ := st.AuditEntries(ctx, 6, 1)
		exec(t, st, `DELETE FROM audit_log WHERE seq > 7`)
		exec(t, st, `UPDATE audit_head SET seq = 7, hash = $1`, entries[0].Hash)
		if rep, _ := Verify(ctx, st); !rep.OK() {
			t.Fatalf("links alone cannot see a clean cut: %+v", rep)
		}
		rep, err := a.Verify(ctx, st)
		if err != nil || rep.BrokenAt != 8 || !strings.Contains(rep.Reason, "tail removed") {
			t.Fatalf("cut tail: %+v, %v; want entry 8 named", rep, err)
		}
		t.Log(rep)
	})
}

// A checkpoint line not signed by the platform's key is named.
func TestAuditForgedCheckpointNamed(t *testing.T) {
	ctx := context.Background()
	a := testAnchor(t)
	st := chain(t, sqldb.SQLite, a, 3, 3)
	f, _ := os.OpenFile(a.File, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"kind":"head","seq":2,"hash":"00","at":"2026-03-02T01:00:00Z","sig":"MEUCIQ=="}` + "\n")
	f.Close()
	rep, _ := a.Verify(ctx, st)
	if rep.OK() || rep.BadCheckpointLine != 2 {
		t.Fatalf("forged checkpoint: %+v", rep)
	}
	// A line torn by a crash mid-write is not a forgery, and the next
	// checkpoint starts on a line of its own.
	a2 := testAnchor(t)
	st2 := chain(t, sqldb.SQLite, a2, 2, 2)
	f, _ = os.OpenFile(a2.File, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"kind":"head","seq":`)
	f.Close()
	Append(ctx, st2, &tongban.AuditEntry{At: t0, Actor: "乙", Action: "x", Object: "o"})
	Seal(ctx, st2)
	if err := a2.CheckpointHead(ctx, st2, 0); err != nil {
		t.Fatal(err)
	}
	if rep, _ := a2.Verify(ctx, st2); !rep.OK() || rep.Checkpoints != 2 {
		t.Fatalf("after a torn line: %+v", rep)
	}
}

// Retention: entries past it are purged, the chain verifies from the signed
// genesis, the purge is in the log; a genesis no checkpoint signs (a writer
// deleting the oldest entries) is named.
func TestAuditRetentionPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		a := testAnchor(t)
		st := chain(t, d, a, 10, 5)
		// Entries 1–10 were written minutes after t0; 200 days later with
		// entries 11–12 fresh, 1–10 are past a 180-day retention.
		now := t0.Add(200 * 24 * time.Hour)
		for i := 0; i < 2; i++ {
			Append(ctx, st, &tongban.AuditEntry{At: now.Add(-time.Hour), Actor: "丙", Action: "x", Object: "new"})
		}
		if _, err := Purge(ctx, st, a, now, 30*24*time.Hour); err == nil {
			t.Error("a 30-day retention was accepted")
		}
		n, err := Purge(ctx, st, a, now, DefaultRetention)
		if err != nil || n != 10 {
			t.Fatalf("purge = %d, %v; want 10", n, err)
		}
		Seal(ctx, st)
		a.CheckpointHead(ctx, st, 0)
		rep, err := a.Verify(ctx, st)
		if err != nil || !rep.OK() || rep.Entries != 3 {
			t.Fatalf("after purge: %+v, %v; want 3 intact entries (11, 12 and the purge record)", rep, err)
		}
		entries, _ := st.AuditEntries(ctx, 0, 10)
		if last := entries[len(entries)-1]; last.Action != tongban.AuditChainPurge || !strings.Contains(last.Detail, "180 天") {
			t.Errorf("the purge is not recorded: %+v", last)
		}
		if n, _ := Purge(ctx, st, a, now, DefaultRetention); n != 0 {
			t.Errorf("a second purge removed %d", n)
		}
		// A writer removes entry 11 and moves the genesis to it.
		exec(t, st, `DELETE FROM audit_log WHERE seq = 11`)
		exec(t, st, `UPDATE audit_head SET genesis_seq = 11, genesis_hash = $1`, entries[0].Hash)
		if rep, _ := a.Verify(ctx, st); rep.BrokenAt != 1 || !strings.Contains(rep.Reason, "no signed purge checkpoint") {
			t.Fatalf("unsigned genesis: %+v", rep)
		}
	})
}

// A chain of plain SM3 links from before migration 00010 is re-keyed from
// its first entry in one pass, the re-key is recorded, and doing it again
// changes nothing.
func TestAuditRekeyOnUpgrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		ctx := context.Background()
		st := storetest.Open(t, d)
		for i := 0; i < 5; i++ {
			Append(ctx, st, &tongban.AuditEntry{At: t0, Actor: "丁", Action: "x", Object: "o" + strconv.Itoa(i)})
		}
		Seal(ctx, st)
		// Make it the old chain: unkeyed links, not marked keyed.
		entries, _ := st.AuditEntries(ctx, 0, 10)
		prev := ""
		for _, e := range entries {
			e.PrevHash, e.Hash = prev, unkeyedHash(prev, e)
			exec(t, st, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3`, e.PrevHash, e.Hash, e.Seq)
			prev = e.Hash
		}
		exec(t, st, `UPDATE audit_head SET hash = $1, keyed_at = NULL`, prev)
		if rep, _ := Verify(ctx, st); !rep.OK() {
			t.Fatalf("the old chain verifies by its old links: %+v", rep)
		}
		n, err := Rekey(ctx, st, t0)
		if err != nil || n != 5 {
			t.Fatalf("Rekey = %d, %v", n, err)
		}
		Seal(ctx, st)
		rep, _ := Verify(ctx, st)
		after, _ := st.AuditEntries(ctx, 0, 10)
		if !rep.OK() || rep.Entries != 6 || after[5].Action != tongban.AuditChainRekey || !strings.Contains(after[5].Detail, "原链完整") {
			t.Fatalf("after re-key: %+v, last entry %+v", rep, after[len(after)-1])
		}
		if after[0].Hash != Hash(st.AuditChainKey(), "", after[0]) {
			t.Error("entry 1 is not keyed")
		}
		if n, err := Rekey(ctx, st, t0); n != 0 || err != nil {
			t.Errorf("second Rekey = %d, %v", n, err)
		}
	})
}

// Checkpoints reach an HTTP sink and a syslog listener.
func TestAuditCheckpointSinks(t *testing.T) {
	var mu sync.Mutex
	var posted []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		posted = append(posted, r.Header.Get("Content-Type")+" "+string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		got <- line
	}()
	httpSink, err := ParseSink(srv.URL + "/checkpoints")
	if err != nil {
		t.Fatal(err)
	}
	syslogSink, err := ParseSink("syslog+tcp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	a := testAnchor(t, httpSink, syslogSink)
	chain(t, sqldb.SQLite, a, 2, 2)
	mu.Lock()
	if len(posted) != 1 || !strings.HasPrefix(posted[0], "application/json {\"kind\":\"head\",\"seq\":2,") {
		t.Errorf("HTTP sink got %q", posted)
	}
	mu.Unlock()
	select {
	case line := <-got:
		if !strings.Contains(line, "tongban-audit") || !strings.Contains(line, `"seq":2`) {
			t.Errorf("syslog got %q", line)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing reached the syslog listener")
	}
	if _, err := ParseSink("ftp://x"); err == nil {
		t.Error("ftp sink accepted")
	}
}
