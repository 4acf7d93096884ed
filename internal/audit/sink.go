package audit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/syslog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Sink receives a copy of every checkpoint on another machine, so that
// whoever controls this server's disk and database still cannot take a
// checkpoint back.
type Sink interface {
	Send(ctx context.Context, c Checkpoint, line []byte) error
	String() string
}

// ParseSink reads a sink address: an http(s):// URL that checkpoints are
// POSTed to as JSON, or syslog+udp://host:port / syslog+tcp://host:port.
func ParseSink(spec string) (Sink, error) {
	u, err := url.Parse(spec)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("audit sink %q: want https://host/path, syslog+udp://host:port or syslog+tcp://host:port", spec)
	}
	switch u.Scheme {
	case "http", "https":
		return &HTTPSink{URL: spec, Client: &http.Client{Timeout: 5 * time.Second}}, nil
	case "syslog+udp", "syslog+tcp":
		return &SyslogSink{Network: strings.TrimPrefix(u.Scheme, "syslog+"), Addr: u.Host}, nil
	}
	return nil, fmt.Errorf("audit sink %q: unknown scheme %q (https, syslog+udp, syslog+tcp)", spec, u.Scheme)
}

// HTTPSink POSTs each checkpoint as a JSON object; any 2xx answer is receipt.
type HTTPSink struct {
	URL    string
	Client *http.Client
}

func (s *HTTPSink) String() string { return s.URL }

func (s *HTTPSink) Send(ctx context.Context, _ Checkpoint, line []byte) error {
	req, err := http.NewRequestWithContext(ctx, "POST", s.URL, bytes.NewReader(line))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

// SyslogSink sends each checkpoint as one syslog message (facility auth,
// severity notice, tag tongban-audit) whose text is the JSON line.
type SyslogSink struct {
	Network, Addr string
}

func (s *SyslogSink) String() string { return "syslog+" + s.Network + "://" + s.Addr }

func (s *SyslogSink) Send(_ context.Context, _ Checkpoint, line []byte) error {
	w, err := syslog.Dial(s.Network, s.Addr, syslog.LOG_AUTH|syslog.LOG_NOTICE, "tongban-audit")
	if err != nil {
		return err
	}
	defer w.Close()
	return w.Notice(string(line))
}
