package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tongban/tongban/internal/api"
	"github.com/tongban/tongban/internal/app"
)

// The API tests serve the app through contractServer, which checks every
// response against the OpenAPI document before the client sees it: a status
// the operation does not document, a media type it does not list, or a JSON
// body its schema refuses fails the test that made the request. Every API
// test, existing or new, is checked this way as long as it starts its server
// with contractServer (site, caseSite and calendarSite do).

// contract is the OpenAPI document, compiled once per test binary.
type contract struct {
	doc     map[string]any
	mux     *http.ServeMux // matches a request to its path template
	schemas *jsonschema.Compiler
	mu      sync.Mutex
	byRef   map[string]*jsonschema.Schema
}

var (
	contractOnce sync.Once
	theContract  *contract
	contractErr  error
)

func loadContract() (*contract, error) {
	contractOnce.Do(func() {
		raw, err := json.Marshal(api.New(api.Deps{Version: "test"}).OpenAPI())
		if err != nil {
			contractErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			contractErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		if err := c.AddResource("openapi.json", doc); err != nil {
			contractErr = err
			return
		}
		k := &contract{doc: doc.(map[string]any), mux: http.NewServeMux(), schemas: c, byRef: map[string]*jsonschema.Schema{}}
		for path, ops := range k.doc["paths"].(map[string]any) {
			for method := range ops.(map[string]any) {
				k.mux.Handle(strings.ToUpper(method)+" "+path, http.NotFoundHandler())
			}
		}
		theContract = k
	})
	return theContract, contractErr
}

// operation finds the documented operation of a request, with its path and
// method as the document spells them; ok is false outside the document.
func (k *contract) operation(r *http.Request) (path, method string, op map[string]any, ok bool) {
	_, pattern := k.mux.Handler(r)
	method, path, found := strings.Cut(pattern, " ")
	if !found {
		return "", "", nil, false
	}
	method = strings.ToLower(method)
	op, ok = k.doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)
	return path, method, op, ok
}

// check returns what is wrong with a response to r, or nil.
func (k *contract) check(r *http.Request, status int, header http.Header, body []byte) error {
	path, method, op, ok := k.operation(r)
	if !ok {
		return nil // not an API operation (pages, /healthz, unknown API paths)
	}
	responses := op["responses"].(map[string]any)
	key := strconv.Itoa(status)
	resp, ok := responses[key].(map[string]any)
	if !ok && status >= 400 {
		key = "default"
		resp, ok = responses[key].(map[string]any)
	}
	if !ok {
		return fmt.Errorf("%s %s answered %d, which the document does not list", strings.ToUpper(method), path, status)
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			return fmt.Errorf("%s %s %d: the document gives no body, the answer has %d bytes", strings.ToUpper(method), path, status, len(body))
		}
		return nil
	}
	mediaType, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("%s %s %d: Content-Type %q: %v", strings.ToUpper(method), path, status, header.Get("Content-Type"), err)
	}
	if _, listed := content[mediaType]; !listed {
		return fmt.Errorf("%s %s %d: media type %s is not among the documented %v", strings.ToUpper(method), path, status, mediaType, keys(content))
	}
	if mediaType != "application/json" {
		return nil
	}
	ref := "openapi.json#/paths/" + pointerEscape(path) + "/" + method + "/responses/" + key + "/content/application~1json/schema"
	schema, err := k.schema(ref)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s %d: body is not JSON: %v", strings.ToUpper(method), path, status, err)
	}
	if err := schema.Validate(inst); err != nil {
		return fmt.Errorf("%s %s %d: body does not match the document: %v\nbody: %.2000s", strings.ToUpper(method), path, status, err, body)
	}
	return nil
}

func (k *contract) schema(ref string) (*jsonschema.Schema, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if s, ok := k.byRef[ref]; ok {
		return s, nil
	}
	s, err := k.schemas.Compile(ref)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", ref, err)
	}
	k.byRef[ref] = s
	return s, nil
}

func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// contractServer serves a's handler, holding each answer until it has been
// checked against the document, so a mismatch fails the test that asked.
func contractServer(t *testing.T, a *app.App) *httptest.Server {
	t.Helper()
	k, err := loadContract()
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	srv := httptest.NewServer(contractHandler(t, k, a.Handler))
	t.Cleanup(srv.Close)
	return srv
}

func contractHandler(t *testing.T, k *contract, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if err := k.check(r, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Errorf("API contract: %v", err)
		}
		for name, values := range rec.Header() {
			w.Header()[name] = values
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}
