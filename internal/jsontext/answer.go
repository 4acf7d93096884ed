package jsontext

import (
	"bytes"
	"encoding/json"
)

// Answer is v as the API writes every JSON answer: encoding/json's
// Encoder with HTML left unescaped (the answers hold Chinese text and are
// never inlined into a page), ending in a newline. The API's writeJSON and
// answers encoded ahead of the request (the supervisor's dashboard) share
// it, so a kept answer is byte for byte what the request would have written.
func Answer(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
