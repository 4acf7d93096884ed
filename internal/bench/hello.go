package bench

import (
	"encoding/json"
	"net/http"
	"strings"
)

type helloHit struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type helloBody struct {
	Hits  []helloHit `json:"hits"`
	Total int        `json:"total"`
}

// helloValue is a small list of hits whose JSON (with its newline) is
// size bytes, or a few fewer.
func helloValue(size int) helloBody {
	v := helloBody{Hits: []helloHit{}}
	encLen := func() int { b, _ := json.Marshal(v); return len(b) + 1 }
	for i := 1; i <= 10000 && encLen() < size; i++ {
		v.Hits = append(v.Hits, helloHit{ID: i, Name: strings.Repeat("办", 20)})
		v.Total = len(v.Hits)
		// Trim the last name until the document fits.
		last := &v.Hits[len(v.Hits)-1]
		for encLen() > size && last.Name != "" {
			last.Name = last.Name[:len(last.Name)-len("办")]
		}
		if encLen() > size {
			v.Hits = v.Hits[:len(v.Hits)-1]
			v.Total = len(v.Hits)
			break
		}
	}
	return v
}

// HelloHandler is the minimal Go net/http handler the issue compares
// against: it encodes a fixed value to a JSON document of about size bytes
// on every request, as any JSON handler must.
func HelloHandler(size int) http.Handler {
	v := helloValue(size)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
	})
}
