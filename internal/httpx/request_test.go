package httpx

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestBaseURL(t *testing.T) {
	r := httptest.NewRequest("GET", "/cases/1", nil)
	r.Host = "gov.example:8080"
	if got := BaseURL(r, false); got != "http://gov.example:8080" {
		t.Errorf("plain: %q", got)
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := BaseURL(r, false); got != "http://gov.example:8080" {
		t.Errorf("an untrusted proxy header is followed: %q", got)
	}
	if got := BaseURL(r, true); got != "https://gov.example:8080" {
		t.Errorf("trusted proxy: %q", got)
	}
	r.Header.Set("X-Forwarded-Proto", "javascript")
	if got := BaseURL(r, true); got != "http://gov.example:8080" {
		t.Errorf("a bogus scheme is followed: %q", got)
	}
	r.Header.Del("X-Forwarded-Proto")
	r.TLS = &tls.ConnectionState{}
	if got := BaseURL(r, false); got != "https://gov.example:8080" {
		t.Errorf("TLS: %q", got)
	}
}
