package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/jsontext"
)

// MaxBody bounds every JSON request body.
const MaxBody = 1 << 20

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    tongban.ErrorCode `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
}

func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := tongban.AsError(err)
	status := tongban.HTTPStatus(e)
	msg := e.Message
	if e.Code == tongban.EInternal {
		a.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "内部错误，请稍后再试"
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	if e.Code == tongban.EUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: e.Code, Message: msg, Field: e.Field}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	// Encoded whole first: a value that fails to encode is still a clean
	// error answer, and the body goes out in one write with its length
	// rather than in chunks.
	body, err := jsontext.Answer(v)
	if err != nil {
		return tongban.Wrap(tongban.EInternal, err, "encode the answer")
	}
	return writeJSONBody(w, status, body)
}

// writeJSONBody answers with body, a JSON answer encoded already.
func writeJSONBody(w http.ResponseWriter, status int, body []byte) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// decode reads a JSON body into v, refusing unknown fields, repeated keys,
// NUL and invalid UTF-8 (httpx.CheckJSON), trailing data and bodies over
// MaxBody, with an error that names the field at fault.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return tongban.FieldError("body", "请求体应为 JSON (Content-Type: application/json)")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err == nil {
		err = httpx.CheckJSON(body)
		if tongban.ErrorCodeOf(err) == tongban.EInvalid {
			return err
		}
	}
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err = dec.Decode(v); err == nil && dec.More() {
			return tongban.FieldError("body", "JSON 之后还有多余内容")
		}
	}
	if err == nil {
		return nil
	}
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &maxErr):
		return tongban.FieldError("body", "请求体不能超过 %d KB", MaxBody/1024)
	case errors.Is(err, io.EOF):
		return tongban.FieldError("body", "请求体不能为空")
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		return tongban.FieldError("body", "JSON 格式错误%s", offset(syntaxErr))
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return tongban.FieldError(field, "类型错误：应为 %s", jsonKind(typeErr.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return tongban.FieldError(field, "不支持的字段 %q", field)
	}
	return tongban.FieldError("body", "无法解析请求体：%v", err)
}

func offset(e *json.SyntaxError) string {
	if e == nil {
		return "（内容不完整）"
	}
	return fmt.Sprintf("（第 %d 个字节附近）", e.Offset)
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "slice", "array":
		return "数组"
	case "struct", "map":
		return "对象"
	}
	return "数字"
}
