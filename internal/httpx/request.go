package httpx

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the networks of the reverse proxies in front of
// Tongban. Only a proxy's X-Forwarded-For and X-Forwarded-Proto are
// believed: anyone else can write them.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads "CIDR,CIDR,…" (a bare address is its own /32
// or /128); "" trusts nobody.
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q: not an address or CIDR network", part)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q: not a CIDR network", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// String lists the networks as ParseTrustedProxies reads them.
func (t TrustedProxies) String() string {
	parts := make([]string, len(t))
	for i, p := range t {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

func (t TrustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address the connection came from.
func peer(r *http.Request) (netip.Addr, string) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, host
	}
	return a.Unmap(), a.Unmap().String()
}

// ClientIP returns the client's address: the connection's peer, unless
// that is a trusted proxy; then, reading X-Forwarded-For from the right
// (each proxy appends the address it saw), the first address that is not
// a trusted proxy. Entries left of it were written by the client and are
// never believed. If every entry is a trusted proxy, the left-most one.
func ClientIP(r *http.Request, proxies TrustedProxies) string {
	a, s := peer(r)
	if !a.IsValid() || !proxies.trusts(a) {
		return s
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := s
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // garbage from beyond the proxies: stop at the last good hop
		}
		client = hop.Unmap().String()
		if !proxies.trusts(hop) {
			break
		}
	}
	return client
}

// BaseURL is the scheme and host the request came to: https when served
// over TLS or, from a trusted proxy, as its X-Forwarded-Proto says.
// Absolute links should use the configured public URL instead.
func BaseURL(r *http.Request, proxies TrustedProxies) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		if a, _ := peer(r); a.IsValid() && proxies.trusts(a) {
			scheme = p
		}
	}
	return scheme + "://" + r.Host
}
