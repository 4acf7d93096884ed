package workflow

import (
	"bytes"
	"encoding/json"

	"github.com/tongban/tongban"
)

// checkFormByUnmarshal is checkForm as it was before CompactForm: the form
// decoded into a map only to see it is an object, then compacted. It is
// kept, verbatim, as the reference checkForm is fuzzed against
// (FuzzFormCheckSameAsBefore) and benchmarked with.
func checkFormByUnmarshal(f json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(f)) == 0 {
		return json.RawMessage(`{}`), nil
	}
	if len(f) > MaxFormBytes {
		return nil, tongban.FieldError("form", "申请表内容过大，不能超过64KB")
	}
	var obj map[string]any
	if err := json.Unmarshal(f, &obj); err != nil || obj == nil {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, f); err != nil {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	return b.Bytes(), nil
}
