package api

import (
	"net/http"
	"sync"
)

// answerBufs holds the buffers hand-encoded answers (a case's view, a
// search's hits) are written into, so that such an answer allocates none
// for its body.
var answerBufs = sync.Pool{New: func() any { return new([]byte) }}

// answerBufMax is the largest buffer kept: a case with a form near MaxBody
// should not pin a megabyte per pooled buffer.
const answerBufMax = 64 << 10

// writeAppended answers as writeJSON(w, status, v) does (the whole body
// encoded first, its length set, one write), with the body appendTo
// writes; when appendTo reports false (what it leaves to encoding/json),
// writeJSON answers with v.
func writeAppended(w http.ResponseWriter, status int, appendTo func([]byte) ([]byte, bool), v any) error {
	bp := answerBufs.Get().(*[]byte)
	b, ok := appendTo((*bp)[:0])
	if !ok {
		answerBufs.Put(bp)
		return writeJSON(w, status, v)
	}
	err := writeJSONBody(w, status, b) // net/http copies it: the buffer is free again
	if cap(b) <= answerBufMax {
		*bp = b[:0]
		answerBufs.Put(bp)
	}
	return err
}

// writeCaseView answers with v as writeJSON does, through appendCaseView.
func writeCaseView(w http.ResponseWriter, status int, v *caseView) error {
	return writeAppended(w, status, func(b []byte) ([]byte, bool) { return appendCaseView(b, v) }, v)
}
