package web

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/stats"
)

// publicBodies keeps the rendered body of the public 成绩单 for each board
// (stats.PublicCache) and language. A board never changes once built, so
// its body is rendered once and every request for it only wraps the body in
// the layout (whose CSRF token and sign-in links are the visitor's own).
type publicBodies struct {
	mu sync.Mutex
	m  map[publicBodyKey]template.HTML
}

type publicBodyKey struct {
	board *stats.PublicRatings
	lang  Lang
}

// publicBodiesMax bounds the bodies kept; past it the memory starts
// afresh, which also lets go of boards the cache has since replaced.
const publicBodiesMax = 64

// body returns the body of board in lang, rendering it on first use. Two
// requests meeting a new board may both render it; the results are equal.
func (b *publicBodies) body(w *Web, board *stats.PublicRatings, d *publicRatingsBody) (template.HTML, error) {
	key := publicBodyKey{board, d.Lang}
	b.mu.Lock()
	html, ok := b.m[key]
	b.mu.Unlock()
	if ok {
		return html, nil
	}
	html, err := w.renderPublicBody(d)
	if err != nil {
		return "", err
	}
	b.mu.Lock()
	if b.m == nil || len(b.m) >= publicBodiesMax {
		b.m = map[publicBodyKey]template.HTML{}
	}
	b.m[key] = html
	b.mu.Unlock()
	return html, nil
}

// renderPublicBody renders the page's body alone (template
// "ratings_public_body"), in the HTML context the layout puts it in.
func (w *Web) renderPublicBody(d *publicRatingsBody) (template.HTML, error) {
	var buf bytes.Buffer
	if err := w.pages["ratings_public"].ExecuteTemplate(&buf, "ratings_public_body", d); err != nil {
		return "", tongban.Wrap(tongban.EInternal, err, "render ratings_public_body")
	}
	return template.HTML(buf.String()), nil
}
