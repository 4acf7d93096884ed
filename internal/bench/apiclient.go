package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
)

// API is a client of Tongban's JSON API for setting up scenarios (sign in,
// tokens, uploads); the measured requests go through Load.
type API struct {
	Base   string // http://127.0.0.1:port
	HTTP   *http.Client
	Bearer string // API token; when set, no cookies or CSRF are needed
	csrf   string
}

// NewAPI returns a client with a cookie jar for base (loopback only).
func NewAPI(base string) (*API, error) {
	if err := CheckLoopback(base); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := NewClient(4)
	c.Jar = jar
	return &API{Base: base, HTTP: c}, nil
}

// APIError is an answer in the API's error shape.
type APIError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s (%s)", e.Status, e.Code, e.Message, e.Field)
}

// Do sends in (JSON, if not nil) and decodes a 2xx answer into out (if not nil).
func (a *API) Do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.Base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return a.Send(req, out)
}

// Send sends a prepared request with the client's credentials.
func (a *API) Send(req *http.Request, out any) error {
	a.Sign(req)
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if t := resp.Header.Get("X-CSRF-Token"); t != "" {
		a.csrf = t
	}
	if resp.StatusCode/100 != 2 {
		e := struct{ Error APIError }{}
		json.Unmarshal(b, &e)
		e.Error.Status = resp.StatusCode
		if e.Error.Message == "" {
			e.Error.Message = trim(b)
		}
		return &e.Error
	}
	if out != nil && len(b) > 0 {
		return json.Unmarshal(b, out)
	}
	return nil
}

// Sign adds the client's credentials to req: its bearer token, or its
// session's CSRF token (the cookie jar adds the cookie).
func (a *API) Sign(req *http.Request) {
	if a.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+a.Bearer)
	} else if a.csrf != "" {
		req.Header.Set("X-CSRF-Token", a.csrf)
	}
}

// Login opens a session (cookie and CSRF token).
func (a *API) Login(ctx context.Context, login, password string) error {
	return a.Do(ctx, "POST", "/api/v1/login", map[string]string{"login": login, "password": password}, nil)
}

// TokenFor signs in and returns a client that uses a new bearer token of
// that account, so load requests need neither cookies nor CSRF.
func TokenFor(ctx context.Context, base, login, password string) (*API, error) {
	a, err := NewAPI(base)
	if err != nil {
		return nil, err
	}
	if err := a.Login(ctx, login, password); err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", login, err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	if err := a.Do(ctx, "POST", "/api/v1/tokens", map[string]string{"name": "bench"}, &tok); err != nil {
		return nil, fmt.Errorf("token for %s: %w", login, err)
	}
	b, _ := NewAPI(base)
	b.Bearer = tok.Token
	return b, nil
}
