package web

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// verifyFacts keeps the rendered verdict and facts of the verify page
// (template "license_verify_facts") per language and verification. The
// key is the whole Verification that the block shows, so a change of
// the licence (revoked, changed, expired, a signature that no longer
// verifies) is a new key, never a stale block: like the signature memo,
// a memo of a pure function. Rendering the block was most of the page's
// template time (about 30 calls through reflection); the rest of the page
// — the layout with the visitor's own CSRF token, a share's note and face
// items — is rendered on every visit. It holds what the page shows anyone
// (the holder masked), at most verifyFactsMax blocks, dropped when full.
type verifyFacts struct {
	mu sync.Mutex
	m  map[verifyFactsData]template.HTML
}

// verifyFactsData is the block's data and the memo's key.
type verifyFactsData struct {
	Lang Lang
	V    license.Verification
}

const verifyFactsMax = 4096

func (f *verifyFacts) html(w *Web, lang Lang, v *license.Verification) (template.HTML, error) {
	key := verifyFactsData{Lang: lang, V: *v}
	f.mu.Lock()
	html, ok := f.m[key]
	f.mu.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := w.pages["licenses_verify"].ExecuteTemplate(&buf, "license_verify_facts", key); err != nil {
		return "", tongban.Wrap(tongban.EInternal, err, "render license_verify_facts")
	}
	html = template.HTML(buf.String())
	f.mu.Lock()
	if f.m == nil || len(f.m) >= verifyFactsMax {
		f.m = map[verifyFactsData]template.HTML{}
	}
	f.m[key] = html
	f.mu.Unlock()
	return html, nil
}
