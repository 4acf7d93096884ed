package httpx

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"

	"github.com/tongban/tongban"
)

// CSRF protects every state-changing form post with a signed double-submit
// token: a random nonce in an HttpOnly cookie, and HMAC(key, nonce) in the
// form (csrf_token) or the X-CSRF-Token header. A forger can neither read
// the cookie nor compute the HMAC. Requests authenticated by a bearer token
// are exempt: they carry no ambient credentials.
type CSRF struct {
	Key    []byte
	Secure bool
}

const csrfCookie = "tongban_csrf"

// FieldName is the form field that carries the token.
const FieldName = "csrf_token"

// Token returns the token for this browser, setting the nonce cookie if it
// has none yet.
func (c *CSRF) Token(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 {
		return c.sign(ck.Value)
	}
	b := make([]byte, 18)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: nonce, Path: "/", HttpOnly: true,
		Secure: c.Secure, SameSite: http.SameSiteLaxMode})
	// Later reads in this request (a form rendered after a redirect-less error) see the same nonce.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: nonce})
	return c.sign(nonce)
}

func (c *CSRF) sign(nonce string) string {
	m := hmac.New(sha256.New, c.Key)
	m.Write([]byte(nonce))
	return hex.EncodeToString(m.Sum(nil))
}

// Check verifies the token of an unsafe request.
func (c *CSRF) Check(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if ViaBearer(r.Context()) {
		return nil
	}
	ck, err := r.Cookie(csrfCookie)
	if err != nil {
		return csrfError()
	}
	sent := r.Header.Get("X-CSRF-Token")
	if sent == "" {
		sent = r.PostFormValue(FieldName)
	}
	if sent == "" || !hmac.Equal([]byte(sent), []byte(c.sign(ck.Value))) {
		return csrfError()
	}
	return nil
}

func csrfError() error {
	return &tongban.Error{Code: tongban.EForbidden, Field: FieldName, Message: "页面已过期或请求来源不可信，请刷新页面后重试"}
}
