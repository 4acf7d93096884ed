package httpx

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestBaseURL(t *testing.T) {
	proxy, _ := ParseTrustedProxies("198.51.100.0/24")
	r := httptest.NewRequest("GET", "/cases/1", nil)
	r.Host = "gov.example:8080"
	if got := BaseURL(r, proxy); got != "http://gov.example:8080" {
		t.Errorf("plain: %q", got)
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	if got := BaseURL(r, proxy); got != "http://gov.example:8080" {
		t.Errorf("an untrusted peer's proxy header is followed: %q", got)
	}
	r.RemoteAddr = "198.51.100.1:4000"
	if got := BaseURL(r, proxy); got != "https://gov.example:8080" {
		t.Errorf("trusted proxy: %q", got)
	}
	r.Header.Set("X-Forwarded-Proto", "javascript")
	if got := BaseURL(r, proxy); got != "http://gov.example:8080" {
		t.Errorf("a bogus scheme is followed: %q", got)
	}
	r.Header.Del("X-Forwarded-Proto")
	r.TLS = &tls.ConnectionState{}
	if got := BaseURL(r, nil); got != "https://gov.example:8080" {
		t.Errorf("TLS: %q", got)
	}
}

// TestClientIP: the client wrote the left of X-Forwarded-For, so the
// right-most address that is not a trusted proxy is the client.
func TestClientIP(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.10, 2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.5:5000", nil, "203.0.113.5"},
		{"an untrusted peer's header is ignored", "203.0.113.5:5000", []string{"1.2.3.4"}, "203.0.113.5"},
		{"one proxy", "10.1.1.1:80", []string{"203.0.113.5"}, "203.0.113.5"},
		{"an invented first entry", "10.1.1.1:80", []string{"1.2.3.4, 203.0.113.5"}, "203.0.113.5"},
		{"two proxies", "10.1.1.1:80", []string{"198.51.100.7, 203.0.113.5, 192.0.2.10"}, "203.0.113.5"},
		{"header split over lines", "10.1.1.1:80", []string{"9.9.9.9", "203.0.113.5"}, "203.0.113.5"},
		{"garbage beyond the proxies", "10.1.1.1:80", []string{"evil, 10.2.2.2"}, "10.2.2.2"},
		{"garbage last", "10.1.1.1:80", []string{"203.0.113.5, evil"}, "10.1.1.1"},
		{"only proxies", "10.1.1.1:80", []string{"10.3.3.3, 10.2.2.2"}, "10.3.3.3"},
		{"no header from a proxy", "10.1.1.1:80", nil, "10.1.1.1"},
		{"IPv6", "[2001:db8::1]:443", []string{"2001:db9::5"}, "2001:db9::5"},
		{"IPv4-mapped peer", "[::ffff:10.1.1.1]:80", []string{"203.0.113.5"}, "203.0.113.5"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		for _, h := range tc.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := ClientIP(r, proxies); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad network parsed")
	}
	if p, _ := ParseTrustedProxies(" "); len(p) != 0 {
		t.Error("blank trusts someone")
	}
}
