package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// The department system the OIDC scenario registers, and the person whose
// consent gives it refresh tokens (张三 of the demo).
const (
	oidcRedirect = "https://bench.example/callback"
	oidcCitizen  = "511602199003071232"
	oidcTokenAt  = "/oidc/token"
)

// OIDC: a department system refreshing its tokens at Tongban's OIDC token
// endpoint (grant refresh_token: the client authenticates with its secret,
// the spent refresh token is revoked and a new access, ID and refresh token
// are issued and stored — the endpoint's everyday work), against the
// hello-world handler, alternately at 32 clients; then alone at 64 clients
// for the tail. Each load client follows its own rotating chain of refresh
// tokens, started by one code flow through Tongban's sign-in and consent.
func (p *Plan) OIDC(ctx context.Context) ([]Row, []Goal, error) {
	return p.onEachEngine(ctx, func(ctx context.Context, engine string) ([]Row, []Goal, error) {
		return p.oidcOn(ctx, engine, "OIDC token endpoint (refresh)")
	})
}

func (p *Plan) oidcOn(ctx context.Context, engine, scenario string) ([]Row, []Goal, error) {
	t, err := NewTongban(ctx, p.Tongban, engine, p.WorkDir, p.PGAdmin, "tongban-oidc-"+engine)
	if err != nil {
		return nil, nil, err
	}
	defer t.Close()
	if err := t.Start(); err != nil {
		return nil, nil, err
	}
	base := t.URL("")
	chains, err := NewRefreshChains(ctx, base, tailClients)
	if err != nil {
		return nil, nil, err
	}
	hello, err := p.startSelf("hello-oidc-"+engine, "serve-hello", "--size", "1200")
	if err != nil {
		return nil, nil, err
	}
	defer hello.Stop(10 * time.Second)
	ref := func() Load { return Load{Request: get(hello.URL("/"))} }

	note := fmt.Sprintf("POST %s with grant_type=refresh_token and client_secret_post by a registered confidential client "+
		"(scopes openid offline_access), each load client on its own rotating chain started by a code flow of the demo citizen; "+
		"every answer checked to carry a new refresh token; reference: a hello-world handler answering 1,200 bytes of JSON "+
		"(about a token answer's size), alternately", oidcTokenAt)
	p.logf("oidc/%s: %s", engine, note)

	// failed names the load that failed and shows the server's log tail.
	failed := func(clients int, err error) error {
		return fmt.Errorf("oidc at %d clients: %w\nthe server's log:\n%s", clients, err, t.LogTail(20))
	}
	const c = 32
	ResetPeakRSS(t.Pid())
	cmp, err := p.compare(ctx, c, ref(), chains.Load())
	if err != nil {
		return nil, nil, failed(c, err)
	}
	rows := []Row{{Scenario: scenario, Engine: engine, Clients: c, Unit: "tokens/s", Subject: cmp.MedianSubject(),
		RefName: "hello-world", Ref: cmp.MedianRef(), Ratios: cmp.Ratios(), Note: note}}
	m, err := p.run(ctx, chains.Load(), tailClients)
	if err != nil {
		return rows, oidcGoals(rows, engine), failed(tailClients, err)
	}
	rss, _ := PeakRSS(t.Pid())
	rows = append(rows, Row{Scenario: scenario, Engine: engine, Clients: tailClients, Unit: "tokens/s", Subject: m, RSS: rss})
	return rows, oidcGoals(rows, engine), nil
}

func oidcGoals(rows []Row, engine string) []Goal {
	var goals []Goal
	for _, row := range rows {
		switch {
		case row.Clients == 32 && row.RefName != "":
			goals = append(goals, Goal{Name: fmt.Sprintf("OIDC token endpoint ≥ 0.3 × hello-world at 32 clients (%s)", engine),
				Got: fmt.Sprintf("%.2f × (%.0f vs %.0f/s)", row.Ratio(), row.Subject.Throughput, row.Ref.Throughput),
				Met: row.Ratio() >= 0.3, Gap: pct(row.Ratio()/0.3, "of the goal")})
		case row.Clients == tailClients:
			goals = append(goals, tailGoal("OIDC token endpoint ("+engine+")", row))
		}
	}
	return goals
}

// RefreshChains are n rotating refresh-token chains of one registered
// client: chain c is only ever advanced by load client c, one request at a
// time, so each request presents the token the previous answer gave.
type RefreshChains struct {
	base, clientID, secret string
	person                 *API // the demo citizen's session, to start chains again
	mu                     sync.Mutex
	tokens                 []string
	// pending marks a chain whose last request got no whole answer (cut
	// off by a run's deadline): Tongban may have spent its token, so the
	// chain is started again before the next run.
	pending []bool
	flows   int
}

// NewRefreshChains registers a confidential department system (by the demo
// system admin) and runs n code flows of the demo citizen — sign-in,
// consent once, code exchanged — keeping each flow's refresh token.
func NewRefreshChains(ctx context.Context, base string, n int) (*RefreshChains, error) {
	admin, err := TokenFor(ctx, base, "admin", DemoPassword)
	if err != nil {
		return nil, err
	}
	var orgs []struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}
	if err := admin.Do(ctx, "GET", "/api/v1/orgs", nil, &orgs); err != nil {
		return nil, err
	}
	var orgID int64
	for _, o := range orgs {
		if o.Code == "gas-scjgj" { // 广安市市场监督管理局
			orgID = o.ID
		}
	}
	if orgID == 0 {
		return nil, errors.New("oidc: the demo org gas-scjgj is missing")
	}
	var client struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if err := admin.Do(ctx, "POST", "/api/v1/oidc/clients", map[string]any{"name": "压测业务系统", "org_id": orgID,
		"redirect_uris": []string{oidcRedirect}, "public": false, "id_token_signed_response_alg": "RS256"}, &client); err != nil {
		return nil, fmt.Errorf("register the OIDC client: %w", err)
	}
	person, err := NewAPI(base)
	if err != nil {
		return nil, err
	}
	person.HTTP.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), base) {
			return http.ErrUseLastResponse // the redirect back to the department system
		}
		return nil
	}
	if err := person.Login(ctx, oidcCitizen, DemoPassword); err != nil {
		return nil, fmt.Errorf("sign in as the demo citizen: %w", err)
	}
	rc := &RefreshChains{base: base, clientID: client.ClientID, secret: client.ClientSecret, person: person,
		tokens: make([]string, n), pending: make([]bool, n)}
	for i := range n {
		if rc.tokens[i], err = rc.start(ctx); err != nil {
			return nil, err
		}
	}
	return rc, nil
}

// start runs one code flow and returns its refresh token.
func (rc *RefreshChains) start(ctx context.Context) (string, error) {
	rc.flows++
	code, err := rc.authorize(ctx, rc.person, fmt.Sprintf("bench-%d", rc.flows))
	if err != nil {
		return "", err
	}
	tok, err := rc.token(ctx, rc.person.HTTP, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {oidcRedirect}})
	if err != nil {
		return "", fmt.Errorf("exchange the code: %w", err)
	}
	return tok, nil
}

var (
	consentCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	consentID   = regexp.MustCompile(`name="id" value="([^"]+)"`)
)

// authorize runs one authorization request as the signed-in person,
// answering the consent page when it is shown, and returns the code.
func (rc *RefreshChains) authorize(ctx context.Context, person *API, state string) (string, error) {
	q := url.Values{"response_type": {"code"}, "client_id": {rc.clientID}, "redirect_uri": {oidcRedirect},
		"scope": {"openid offline_access"}, "state": {state}, "prompt": {"consent"}}
	req, err := http.NewRequestWithContext(ctx, "GET", rc.base+"/oidc/authorize?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	resp, err := person.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		csrf, id := consentCSRF.FindSubmatch(page), consentID.FindSubmatch(page)
		if csrf == nil || id == nil {
			return "", fmt.Errorf("oidc: no consent form in the authorize answer: %.300s", page)
		}
		form := url.Values{"csrf_token": {html.UnescapeString(string(csrf[1]))}, "id": {html.UnescapeString(string(id[1]))},
			"decision": {"allow"}}
		req, err = http.NewRequestWithContext(ctx, "POST", rc.base+"/oidc/login", strings.NewReader(form.Encode()))
		if err != nil {
			return "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if resp, err = person.HTTP.Do(req); err != nil {
			return "", err
		}
		page, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode/100 != 3 || err != nil || !strings.HasPrefix(loc.String(), oidcRedirect) {
		return "", fmt.Errorf("oidc: authorize ended at %d %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), page)
	}
	if loc.Query().Get("state") != state || loc.Query().Get("code") == "" {
		return "", fmt.Errorf("oidc: authorize answered %s", loc.RawQuery)
	}
	return loc.Query().Get("code"), nil
}

// token posts a grant with the client's credentials and returns the
// refresh token of the answer.
func (rc *RefreshChains) token(ctx context.Context, hc *http.Client, form url.Values) (string, error) {
	req, err := rc.tokenRequest(form)
	if err != nil {
		return "", err
	}
	resp, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return refreshTokenOf(resp, body)
}

func (rc *RefreshChains) tokenRequest(form url.Values) (*http.Request, error) {
	form.Set("client_id", rc.clientID)
	form.Set("client_secret", rc.secret)
	req, err := http.NewRequest("POST", rc.base+oidcTokenAt, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

func refreshTokenOf(resp *http.Response, body []byte) (string, error) {
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		IDToken      string `json:"id_token"`
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token endpoint: %d %.300s", resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" || tok.RefreshToken == "" || tok.IDToken == "" {
		return "", fmt.Errorf("token endpoint: no access, ID or refresh token in %.300s", body)
	}
	return tok.RefreshToken, nil
}

// Load is the refresh load: client c presents chain c's current token and
// keeps the new one its answer gives (warmup answers too).
func (rc *RefreshChains) Load() Load {
	return Load{
		Before: func(ctx context.Context) error {
			for i, cut := range rc.pending {
				if !cut {
					continue
				}
				tok, err := rc.start(ctx)
				if err != nil {
					return fmt.Errorf("start chain %d again: %w", i, err)
				}
				rc.tokens[i], rc.pending[i] = tok, false
			}
			return nil
		},
		Request: func(c, n int) (*http.Request, error) {
			rc.mu.Lock()
			i := c % len(rc.tokens)
			tok := rc.tokens[i]
			rc.pending[i] = true
			rc.mu.Unlock()
			return rc.tokenRequest(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok}})
		},
		Observe: func(c, n int, resp *http.Response, body []byte) {
			rc.mu.Lock()
			defer rc.mu.Unlock()
			i := c % len(rc.tokens)
			rc.pending[i] = false
			if next, err := refreshTokenOf(resp, body); err == nil {
				rc.tokens[i] = next
			}
		},
		Check: func(c, n int, resp *http.Response, body []byte) error {
			_, err := refreshTokenOf(resp, body)
			return err
		},
	}
}
