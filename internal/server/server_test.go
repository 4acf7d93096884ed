package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// On shutdown the server stops accepting and lets an in-flight request
// finish before Run returns.
func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, "127.0.0.1:0", slow, "", "", 5*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)), ready)
	}()
	addr := <-ready
	type result struct {
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			resc <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		resc <- result{body: string(b), err: err}
	}()
	<-started
	cancel() // as SIGTERM does
	res := <-resc
	if res.err != nil || res.body != "done" {
		t.Fatalf("in-flight request: %q, %v", res.body, res.err)
	}
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/"); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}
