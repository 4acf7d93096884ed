package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/workflow"
)

// checkFormByTokens is checkForm as it was before workflow.CompactForm: a
// walk over encoding/json's tokens, then json.Compact. It is kept,
// verbatim but for the names, as the reference checkForm is fuzzed against
// (FuzzFormCheckSameAsBefore) and benchmarked with.
func checkFormByTokens(f json.RawMessage) (json.RawMessage, error) {
	f = bytes.TrimSpace(f)
	if len(f) == 0 || string(f) == "null" {
		return json.RawMessage(`{}`), nil
	}
	if len(f) > workflow.MaxFormBytes {
		return nil, tongban.FieldError("form", "申请表内容过大，不能超过 %d KB", workflow.MaxFormBytes>>10)
	}
	if f[0] != '{' {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	if !utf8.Valid(f) {
		return nil, tongban.FieldError("form", "申请表含有无效字符")
	}
	dec := json.NewDecoder(bytes.NewReader(f))
	dec.UseNumber()
	if err := walkFormByTokens(dec, "form", 0); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, f); err != nil {
		return nil, tongban.FieldError("form", "申请表应为 JSON 对象")
	}
	return b.Bytes(), nil
}

// walkFormByTokens reads one JSON value, checking depth and text.
func walkFormByTokens(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return tongban.FieldError("form", "申请表 JSON 格式错误")
	}
	switch v := tok.(type) {
	case string:
		return checkText(path, v, workflow.MaxFormBytes)
	case json.Delim:
		if depth >= MaxFormDepth {
			return tongban.FieldError(path, "申请表嵌套不能超过 %d 层", MaxFormDepth)
		}
		for i := 0; dec.More(); i++ {
			sub := path + "[" + strconv.Itoa(i) + "]"
			if v == '{' {
				k, err := dec.Token()
				if err != nil {
					return tongban.FieldError("form", "申请表 JSON 格式错误")
				}
				key, _ := k.(string)
				sub = path + "." + key
				if err := checkText(sub, key, 200); err != nil {
					return err
				}
			}
			if err := walkFormByTokens(dec, sub, depth+1); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return tongban.FieldError("form", "申请表 JSON 格式错误")
		}
	}
	return nil
}
