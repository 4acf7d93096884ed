package httpx

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
)

// Flash carries a one-time message ("申请已提交") from an action to the
// page it redirects to. The server writes it in a short-lived cookie
// signed with Key, never in the URL: a page never renders message text a
// link could carry (?flash=…), so nobody can make Tongban say their words.
type Flash struct {
	Key    []byte
	Secure bool
}

const flashCookie = "tongban_flash"

func (f Flash) sign(msg string) string {
	m := hmac.New(sha256.New, f.Key)
	m.Write([]byte("flash|" + msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Set stores msg for the next page this browser shows.
func (f Flash) Set(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)) + "." + f.sign(msg),
		Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: f.Secure})
}

// Take returns the message Set stored, if its signature holds, and clears
// it so it shows once.
func (f Flash) Take(w http.ResponseWriter, r *http.Request) string {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: f.Secure})
	enc, sig, ok := strings.Cut(ck.Value, ".")
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if !ok || err != nil || !hmac.Equal([]byte(sig), []byte(f.sign(string(raw)))) {
		return ""
	}
	return string(raw)
}
