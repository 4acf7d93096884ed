package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/api"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/demo"
)

// The validator is not a formality: each kind of mismatch it exists to catch
// is caught.
func TestContractCatchesMismatches(t *testing.T) {
	t.Parallel()
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	json := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	req := func(method, path string) *http.Request { return httptest.NewRequest(method, path, nil) }
	for _, tc := range []struct {
		name   string
		r      *http.Request
		status int
		header http.Header
		body   string
	}{
		{"undocumented status", req("GET", "/api/v1/regions"), 201, json, `[]`},
		{"null array", req("GET", "/api/v1/regions"), 200, json, `null`},
		{"missing required field", req("GET", "/api/v1/regions/511600000000"), 200, json, `{"code":"511600000000","level":2}`},
		{"undocumented field", req("GET", "/api/v1/regions/511600000000"), 200, json, `{"code":"511600000000","name":"广安市","level":2,"extra":1}`},
		{"string for integer", req("GET", "/api/v1/regions/511600000000"), 200, json, `{"code":"511600000000","name":"广安市","level":"2"}`},
		{"value outside enum", req("GET", "/api/v1/orgs/1"), 200, json, `{"id":1,"code":"x","name":"x","kind":"castle","region_code":"511600000000"}`},
		{"error without code", req("GET", "/api/v1/regions/1"), 404, json, `{"error":{"message":"没有"}}`},
		{"wrong media type", req("GET", "/api/v1/cases/1/qr.png"), 200, http.Header{"Content-Type": {"image/jpeg"}}, "\xFF\xD8\xFF"},
		{"body where none is documented", req("POST", "/api/v1/logout"), 204, json, `{}`},
	} {
		if err := k.check(tc.r, tc.status, tc.header, []byte(tc.body)); err == nil {
			t.Errorf("%s: accepted", tc.name)
		} else {
			t.Logf("%s: %.200s", tc.name, err)
		}
	}
	if err := k.check(req("GET", "/api/v1/regions/511600000000"), 200, json,
		[]byte(`{"code":"511600000000","name":"广安市","level":2}`)); err != nil {
		t.Errorf("a right answer refused: %v", err)
	}
}

// The answers a schema-driven run of the API found undocumented now match the
// document (contractServer fails the test otherwise): null measures, an empty
// quality report, an idempotent replay, a download's media type; and the
// request bodies of catalog import and calendar CSV are described.
func TestContractFindings(t *testing.T) {
	t.Parallel()
	srv, a, _ := caseSite(t)
	l := demoFoodListing(t, a)
	citizen := signIn(t, srv, demo.Citizen.IDNumber)

	// An idempotent replay answers 200 with the first case.
	pdf := citizen.mustUpload(pdfFile("契约"))
	b, _ := json.Marshal(application(l, pdf, pdf, pdf, pdf, pdf))
	first, _, _ := citizen.send("POST", "/api/v1/cases", b, "Idempotency-Key", "contract-1")
	replay, _, body := citizen.send("POST", "/api/v1/cases", b, "Idempotency-Key", "contract-1")
	if first != http.StatusCreated || replay != http.StatusOK {
		t.Fatalf("submit %d, replay %d %s", first, replay, body)
	}
	var c caseJSON
	json.Unmarshal(body, &c)

	// A download carries the file's own media type.
	status, hdr, _ := citizen.send("GET", "/api/v1/uploads/"+pdf+"?case="+c.Number, nil)
	if status != http.StatusOK || hdr.Get("Content-Type") != "application/pdf" {
		t.Errorf("download: %d %s", status, hdr.Get("Content-Type"))
	}

	// Measures of departments with no cases are null, as documented.
	if err := a.Stats.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	status, body = signIn(t, srv, "supervisor").do("GET", "/api/v1/stats/measures", nil)
	if status != http.StatusOK || !strings.Contains(string(body), `"on_time_rate":null`) {
		t.Errorf("measures: %d, want a null rate among %.300s", status, body)
	}

	// Publishing a clean listing reports issues as an empty list.
	catalogAdmin := signIn(t, srv, "catalog")
	if status, body := catalogAdmin.upload("契约.csv", catalogFile(t, catalog.FormatCSV,
		foodListing("T-契约", "广安市市场监督管理局", "511600000000"))); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	status, body = catalogAdmin.json("POST", "/api/v1/listings/"+itoa(catalogAdmin.listingID("T-契约"))+"/publish",
		map[string]any{"reason": "契约"})
	if status != http.StatusOK || !strings.Contains(string(body), `"issues":[]`) {
		t.Errorf("publish: %d, want an empty issue list in %.300s", status, body)
	}

	doc := api.New(api.Deps{}).OpenAPI()
	paths := doc["paths"].(map[string]map[string]any)
	body0 := func(path, method string) map[string]any {
		return paths[path][method].(map[string]any)["requestBody"].(map[string]any)["content"].(map[string]any)
	}
	imp := body0("/api/v1/catalog/import", "post")["multipart/form-data"].(map[string]any)["schema"].(map[string]any)
	for _, f := range []string{"file", "create_orgs", "publish"} {
		if imp["properties"].(map[string]any)[f] == nil {
			t.Errorf("catalog import form lacks %s: %v", f, imp)
		}
	}
	if body0("/api/v1/calendar/years/{year}", "put")["text/csv"] == nil {
		t.Error("calendar CSV body not described")
	}
}

var lintProblem = regexp.MustCompile(`(?m)^\s*\d+:\d+\s+(error|warning)\s+(\S+).*$`)

// The document passes Redocly's lint with its recommended rules. The one
// warning allowed is info-license: the project has not chosen a licence.
func TestOpenAPILint(t *testing.T) {
	t.Parallel()
	redocly, err := filepath.Abs("../../scripts/npm/node_modules/.bin/redocly")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(redocly); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redocly is required on CI (scripts/test-deps installs it): %v", err)
		}
		t.Skipf("redocly not installed (scripts/test-deps): %v", err)
	}
	raw, err := json.MarshalIndent(api.New(api.Deps{Version: "test"}).OpenAPI(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(redocly, "lint", "--extends=recommended", "--format=stylish", file)
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint: %v\n%s", err, out)
	}
	// Problems read "  LINE:COL  warning  RULE  message" in the stylish format.
	for _, m := range lintProblem.FindAllStringSubmatch(string(out), -1) {
		if m[2] != "info-license" {
			t.Errorf("lint %s: %s", m[1], m[0])
		}
	}
}
