package httpx

import (
	"net"
	"net/http"
	"strings"
)

// ClientIP returns the client's address. Behind a trusted reverse proxy the
// first X-Forwarded-For address is the client; otherwise it is ignored, since
// anyone can send it (and dodge the sign-in throttle with it).
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// BaseURL is the scheme and host the request came to, for absolute links
// such as a notice's QR code: https when served over TLS or, behind a
// trusted reverse proxy, as its X-Forwarded-Proto says.
func BaseURL(r *http.Request, trustProxy bool) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); trustProxy && (p == "http" || p == "https") {
		scheme = p
	}
	return scheme + "://" + r.Host
}
