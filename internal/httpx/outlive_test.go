package httpx

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A client that closes its connection mid-request cancels the request's
// own context (net/http), but not the one the handler works with, which
// still ends at the limit.
func TestOutliveClient(t *testing.T) {
	type seen struct {
		err         error
		hasDeadline bool
		left        time.Duration
	}
	got := make(chan seen, 1)
	started := make(chan struct{})
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Value(outerKey{}).(context.Context).Done() // net/http saw the client leave
		d, ok := r.Context().Deadline()
		got <- seen{err: r.Context().Err(), hasDeadline: ok, left: time.Until(d)}
	})
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		r = r.WithContext(context.WithValue(r.Context(), outerKey{}, r.Context()))
		OutliveClient(time.Minute)(inner).ServeHTTP(w, r)
	})
	srv := httptest.NewServer(outer)
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	<-started
	conn.Close() // the client leaves
	select {
	case s := <-got:
		if s.err != nil {
			t.Errorf("the handler's context ended with its client: %v", s.err)
		}
		if !s.hasDeadline || s.left <= 50*time.Second || s.left > time.Minute {
			t.Errorf("deadline %v away (set: %v), want about the limit, a minute", s.left, s.hasDeadline)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("net/http never canceled the request of a client that left")
	}
}

type outerKey struct{}
