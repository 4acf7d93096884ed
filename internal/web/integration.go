package web

import (
	"net/http"
	"strconv"
	"strings"
)

// registerIntegration mounts the pages of the integration parts: the OIDC
// sign-in and consent page, the console's department-system pages, and a
// person's messages, notification settings and authorised systems, and
// the phone-bound ways of an account (binding, 忘记密码 by SMS, the code
// that claims a walk-in record at registration).
func (w *Web) registerIntegration(mux *http.ServeMux) {
	w.registerOIDC(mux)
	w.registerConsoleOIDC(mux)
	w.registerConsoleWebhooks(mux)
	w.registerConsoleIntegration(mux)
	w.registerMessages(mux)
	w.registerPhone(mux)
	w.registerSMSReset(mux)
	if w.Codes != nil {
		mux.HandleFunc("POST /register/code", w.handle(w.registerCode))
	}
}

// done redirects after a successful form post, with a message for the next page.
func (w *Web) done(rw http.ResponseWriter, r *http.Request, path, msg string) error {
	w.redirectFlash(rw, r, path, msg)
	return nil
}

// formInt reads a form field as a positive integer; 0 when absent or bad
// (the service then names the field).
func formInt(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
