// Package httpx holds what the JSON API and the pages share: who is signed
// in, CSRF tokens, the client's address, and request middleware.
package httpx

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// SessionCookie holds the browser's session token.
const SessionCookie = "tongban_session"

type ctxKey int

const (
	userKey ctxKey = iota
	tokenKey
	bearerKey
)

// User returns the signed-in user, or nil.
func User(ctx context.Context) *tongban.User {
	u, _ := ctx.Value(userKey).(*tongban.User)
	return u
}

// SessionToken returns the session token of the request, if any.
func SessionToken(ctx context.Context) string {
	t, _ := ctx.Value(tokenKey).(string)
	return t
}

// ViaBearer reports whether the request was authenticated by an API token;
// such requests carry no cookies a forger could ride on, so need no CSRF token.
func ViaBearer(ctx context.Context) bool {
	b, _ := ctx.Value(bearerKey).(bool)
	return b
}

// WithUser returns ctx carrying u (for tests and internal calls).
func WithUser(ctx context.Context, u *tongban.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// Authenticator loads the user of each request from a bearer token or the
// session cookie.
type Authenticator struct {
	Identity *identity.Service
	Secure   bool // cookies only over TLS
}

// Load is middleware that puts the request's user (if any) in its context.
// A bad bearer token is an error; a stale cookie is simply ignored.
func (a *Authenticator) Load(onError func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if h := r.Header.Get("Authorization"); h != "" {
				bearer, ok := strings.CutPrefix(h, "Bearer ")
				if !ok {
					onError(w, r, tongban.Errorf(tongban.EUnauthorized, "Authorization 头应为 Bearer 令牌"))
					return
				}
				u, err := a.Identity.AuthenticateToken(ctx, strings.TrimSpace(bearer))
				if err != nil {
					onError(w, r, err)
					return
				}
				ctx = context.WithValue(context.WithValue(ctx, userKey, u), bearerKey, true)
			} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
				u, err := a.Identity.Authenticate(ctx, c.Value)
				switch {
				case err == nil:
					ctx = context.WithValue(context.WithValue(ctx, userKey, u), tokenKey, c.Value)
				case tongban.IsCode(err, tongban.EUnauthorized):
					a.ClearSession(w)
				default:
					onError(w, r, err)
					return
				}
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// SetSession sets the session cookie: HttpOnly, SameSite=Lax, Secure over TLS.
func (a *Authenticator) SetSession(w http.ResponseWriter, token string, ttl time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode})
}

// ClearSession removes the session cookie.
func (a *Authenticator) ClearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode})
}
