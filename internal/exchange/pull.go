package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/tongban/tongban"
)

// MaxPullBody bounds a provider's answer; one subject's record is small.
const MaxPullBody = 256 << 10

// DefaultPullTimeout is how long a provider has to answer a pull when
// neither the resource nor the configuration says.
const DefaultPullTimeout = 5 * time.Second

// Puller asks providers for one subject's record (the pull protocol of
// docs/exchange.md): POST {"resource", "subject"} to the resource's URL;
// 200 {"found": true, "data": {…}} or {"found": false} (or 404). It never
// runs inside a database transaction.
type Puller struct {
	Client  *http.Client
	Timeout time.Duration // default per pull; a resource may set its own
}

// NewPuller returns a Puller whose connections refuse private, loopback,
// link-local and other non-public addresses unless allowPrivate — checked
// on the address actually dialled, after DNS, so a name cannot point a
// resource's URL inside the network (as miniflux's client does). Proxies
// from the environment are not used, since a proxy would dial for us;
// redirects are not followed.
func NewPuller(timeout time.Duration, allowPrivate bool) *Puller {
	if timeout <= 0 {
		timeout = DefaultPullTimeout
	}
	dialer := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{DialContext: dialer.DialContext, ForceAttemptHTTP2: true, MaxIdleConns: 16,
		IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout}
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return &Puller{Client: client, Timeout: timeout}
}

var errPrivateTarget = errors.New("refusing to pull from a private network address")

// cgnat is 100.64.0.0/10 (shared address space), which netip does not call private.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return errPrivateTarget
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || cgnat.Contains(ip) {
		return errPrivateTarget
	}
	return nil
}

type pullRequest struct {
	Resource string `json:"resource"`
	Subject  string `json:"subject"`
}

type pullAnswer struct {
	Found     bool              `json:"found"`
	Data      map[string]string `json:"data"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Pull asks the resource's provider for the subject's record. found is
// false when the provider has none. A provider that is down, slow or
// answers nonsense is an EUnavailable naming the resource and department.
func (p *Puller) Pull(ctx context.Context, res *tongban.DataResource, subject string) (data map[string]string, found bool, err error) {
	timeout := res.PullTimeout()
	if timeout <= 0 {
		timeout = p.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	unavailable := func(cause error, why string) error {
		return tongban.Wrap(tongban.EUnavailable, cause, "%s（%s）%s，请稍后再试或上传材料", res.Name, res.OrgName, why)
	}
	body, _ := json.Marshal(pullRequest{Resource: res.Code, Subject: subject})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, res.PullURL, bytes.NewReader(body))
	if err != nil {
		return nil, false, unavailable(err, "的调取地址无效")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := p.Client.Do(req)
	switch {
	case errors.Is(err, errPrivateTarget):
		return nil, false, unavailable(err, "的调取地址位于内部网络，未获准调取")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, false, unavailable(err, fmt.Sprintf("在%s内未响应", timeout))
	case err != nil:
		return nil, false, unavailable(err, "暂时无法连接")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxPullBody+1))
	switch {
	case err != nil:
		return nil, false, unavailable(err, "的响应未能完整读取")
	case resp.StatusCode == http.StatusNotFound:
		return nil, false, nil
	case resp.StatusCode != http.StatusOK:
		return nil, false, unavailable(fmt.Errorf("status %d", resp.StatusCode), fmt.Sprintf("暂时无法查询（%d）", resp.StatusCode))
	case len(raw) > MaxPullBody:
		return nil, false, unavailable(errors.New("answer too large"), "的响应过大")
	}
	var a pullAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, false, unavailable(err, "的响应格式不正确")
	}
	if !a.Found {
		return nil, false, nil
	}
	return a.Data, true, nil
}
