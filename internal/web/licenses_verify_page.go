package web

import (
	"bytes"
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
// a change of the licence is a new key, never a stale page. The page
// shows no CSRF token (it has no form, and the layout's is for signed-in
// users); should a template ever show one, the page is the visitor's own
// and is not kept. The template (layout, about a dozen translation calls
// through reflection, the verdict block) was a third of the page's own
// CPU. A share (its note, face items and token), a refusal, an unknown
// token, a signed-in visitor or a flash are rendered through the template
// as before. At most verifyFactsMax pages (a few KB each), dropped when
// full.
type verifyPages struct {
	mu sync.Mutex
	m  map[verifyFactsData][]byte
}

// write answers p (a face link's verified visit by an anonymous visitor)
// from the memo, rendering and keeping the page on a miss; false, with
// nothing written, when the memo cannot serve it (the page would show a
// CSRF token), for the template's way. It writes what the template would,
// byte for byte (TestVerifyPageMemoIsTheTemplate).
func (f *verifyPages) write(w *Web, rw http.ResponseWriter, p *licenseVerifyPage) (bool, error) {
	key := verifyFactsData{Lang: p.Lang, V: *p.V}
	f.mu.Lock()
	page, ok := f.m[key]
	f.mu.Unlock()
	if !ok {
		q := *p
		showsToken := false
		q.csrf = &pageToken{mint: func() string { showsToken = true; return "" }}
		var err error
		if q.Facts, err = w.verifyFacts.html(w, q.Lang, q.V); err != nil {
			return false, err
		}
		var buf bytes.Buffer
		if err := w.pages["licenses_verify"].Execute(&buf, &q); err != nil {
			return false, tongban.Wrap(tongban.EInternal, err, "render licenses_verify")
		}
		if showsToken {
			return false, nil
		}
		page = buf.Bytes()
		f.mu.Lock()
		if f.m == nil || len(f.m) >= verifyFactsMax {
			f.m = map[verifyFactsData][]byte{}
		}
		f.m[key] = page
		f.mu.Unlock()
	}
	writePageHeader(rw, http.StatusOK, len(page))
	_, err := rw.Write(page)
	return true, err
}
