package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// The harness only ever loads this machine: a load generator pointed at
// someone else's server is an attack, so every dial is checked.

// CheckLoopback returns an error unless rawURL's host is a loopback IP
// literal (127.0.0.0/8 or ::1).
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	return checkHost(u.Host)
}

func checkHost(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("bench: refusing target %q: only loopback IP addresses (127.0.0.1) may be loaded", hostport)
	}
	return nil
}

// NewClient returns a keep-alive client with conns connections that can
// only dial loopback addresses, redirects included.
func NewClient(conns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := checkHost(addr); err != nil {
				return nil, err
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &http.Client{Transport: tr, Timeout: 60 * time.Second}
}
