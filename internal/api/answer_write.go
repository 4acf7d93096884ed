package api

import (
	"net/http"
	"strconv"
	"sync"
)

// caseBufs holds the buffers case answers are encoded into, so that a
// polled case allocates none for its body.
var caseBufs = sync.Pool{New: func() any { return new([]byte) }}

// caseBufMax is the largest buffer kept: a case with a form near MaxBody
// should not pin a megabyte per pooled buffer.
const caseBufMax = 64 << 10

// writeCaseView answers with v as writeJSON does (the whole body encoded
// first, its length set, one write), through appendCaseView; what that
// leaves to encoding/json goes to writeJSON.
func writeCaseView(w http.ResponseWriter, status int, v *caseView) error {
	bp := caseBufs.Get().(*[]byte)
	b, ok := appendCaseView((*bp)[:0], v)
	if !ok {
		caseBufs.Put(bp)
		return writeJSON(w, status, *v)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err := w.Write(b) // net/http copies it: the buffer is free again
	if cap(b) <= caseBufMax {
		*bp = b[:0]
		caseBufs.Put(bp)
	}
	return err
}
