package web

import (
	"bytes"
	"io"
	"net/http"
	"sync"

	"github.com/tongban/tongban"
)

// verifyPages keeps the whole verify page of a face link (the QR on a
// licence) as an anonymous visitor sees it, per language and
// verification. For such a visit — no user, no flash, a face link whose
// licence was verified — everything the page shows is a function of the
// language and the Verification (the verdict block, the fixed title,
// header and hint), so like verifyFacts the key is all the page shows and
// a change of the licence is a new key, never a stale page. An anonymous
// page carries no CSRF token (the layout shows it to signed-in users
// only); should a template ever show one, the page is kept split around
// it and the visitor's own is written between the halves. The template
// (layout, about a dozen translation calls through reflection, the
// verdict block) was a third of the page's own CPU. A share (its note,
// face items and token), a refusal, an unknown token, a signed-in
// visitor or a flash are rendered through the template as before. At
// most verifyFactsMax pages (a few KB each), dropped when full.
type verifyPages struct {
	mu sync.Mutex
	m  map[verifyFactsData]verifyPageHalves
}

// verifyPageHalves is a rendered page before and after its CSRF token;
// a page without one is all before.
type verifyPageHalves struct {
	before, after []byte
	token         bool
}

// csrfMark stands for the visitor's token when a page is rendered for
// the memo: letters and digits only, so html/template writes it as it is
// and no real token (hex) can contain it.
const csrfMark = "zzTongbanCSRFmarkzz"

// write answers p (a face link's verified visit by an anonymous visitor)
// from the memo, rendering and keeping the page on a miss; false, with
// nothing written, when the memo cannot serve it (a token it cannot
// splice), for the template's way. It writes what the template would,
// byte for byte (TestVerifyPageMemoIsTheTemplate).
func (f *verifyPages) write(w *Web, rw http.ResponseWriter, p *licenseVerifyPage) (bool, error) {
	key := verifyFactsData{Lang: p.Lang, V: *p.V}
	f.mu.Lock()
	h, ok := f.m[key]
	f.mu.Unlock()
	if !ok {
		q := *p
		q.csrf = fixedToken(csrfMark)
		var err error
		if q.Facts, err = w.verifyFacts.html(w, q.Lang, q.V); err != nil {
			return false, err
		}
		var buf bytes.Buffer
		if err := w.pages["licenses_verify"].Execute(&buf, &q); err != nil {
			return false, tongban.Wrap(tongban.EInternal, err, "render licenses_verify")
		}
		before, after, found := bytes.Cut(buf.Bytes(), []byte(csrfMark))
		if bytes.Contains(after, []byte(csrfMark)) {
			return false, nil // the layout shows the token more than once
		}
		h = verifyPageHalves{before: before, after: after, token: found}
		f.mu.Lock()
		if f.m == nil || len(f.m) >= verifyFactsMax {
			f.m = map[verifyFactsData]verifyPageHalves{}
		}
		f.m[key] = h
		f.mu.Unlock()
	}
	var token string
	if h.token {
		if token = p.CSRF(); !plainToken(token) {
			return false, nil
		}
	}
	writePageHeader(rw, http.StatusOK, len(h.before)+len(token)+len(h.after))
	// Up to three writes into the response's buffer, not a copy of the
	// page: with Content-Length set they are sent as one body, never
	// chunked.
	if _, err := rw.Write(h.before); err != nil {
		return true, err
	}
	if !h.token {
		return true, nil
	}
	if _, err := io.WriteString(rw, token); err != nil {
		return true, err
	}
	_, err := rw.Write(h.after)
	return true, err
}

// plainToken says whether html/template would write s unchanged in an
// attribute: a CSRF token is hex.
func plainToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}
