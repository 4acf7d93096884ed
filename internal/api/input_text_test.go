package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// siteOn starts the whole app with the demo city on the dialect's fresh database.
func siteOn(t *testing.T, d sqldb.Dialect) (*httptest.Server, *app.App) {
	return siteWith(t, func(c *app.Config) {
		if d == sqldb.Postgres {
			c.DB = storetest.CreatePostgresDB(t)
		}
	})
}

// A probe is one request carrying a NUL or invalid UTF-8 and the field the
// 400 must name. as is who sends it ("" = nobody signed in).
type probe struct {
	name, as, method, path string
	body                   string
	headers                []string
	field                  string
}

// TestNULAndInvalidUTF8Probes replays the probes that answered 500 on
// PostgreSQL (and stored the NUL on SQLite): every one is now a 400 naming
// the field, on both engines, and nothing is stored.
func TestNULAndInvalidUTF8Probes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		srv, a := siteOn(t, d)
		ctx := context.Background()
		clients := map[string]*client{"": newClient(t, srv)}
		for _, who := range []string{"511602199003071232", "admin", "catalog", "clerk"} {
			clients[who] = signIn(t, srv, who)
		}
		listing := demoFoodListing(t, a).ID
		usersBefore, _ := a.Store.Users(ctx, tongban.UserFilter{})

		reg := `{"name":"王五","id_number":"11010519491231002X","phone":"13700137000","password":"Wangwu#20260"}`
		ent := `{"name":"测试公司","credit_code":"91350100M000100Y43","legal_rep_name":"王五","legal_rep_id_number":"11010519491231002X","phone":"13700137000","password":"Wangwu#20260"}`
		with := func(doc, key, value string) string {
			re := regexp.MustCompile(`"` + key + `":"[^"]*"`)
			return re.ReplaceAllLiteralString(doc, `"`+key+`":"`+value+`"`)
		}
		probes := []probe{
			{name: "NUL in a citizen's name", method: "POST", path: "/api/v1/register", body: with(reg, "name", `王\u0000五`), field: "name"},
			{name: "invalid UTF-8 in a citizen's name", method: "POST", path: "/api/v1/register", body: with(reg, "name", "王\xff五"), field: "name"},
			{name: "NUL in a phone", method: "POST", path: "/api/v1/register", body: with(reg, "phone", `1370013\u00007000`), field: "phone"},
			{name: "NUL in a password", method: "POST", path: "/api/v1/register", body: with(reg, "password", `Wangwu#2026\u0000`), field: "password"},
			{name: "NUL in an ID number", method: "POST", path: "/api/v1/register", body: with(reg, "id_number", `1101051949123\u00001002X`), field: "id_number"},
			{name: "NUL in a key", method: "POST", path: "/api/v1/register", body: `{"na\u0000me":"王五"}`, field: "body"},
			{name: "a repeated key", method: "POST", path: "/api/v1/register", body: `{"name":"王五","name":"李四"}`, field: "name"},
			{name: "NUL in an enterprise name", method: "POST", path: "/api/v1/register/enterprise", body: with(ent, "name", `测试\u0000公司`), field: "name"},
			{name: "invalid UTF-8 in a legal representative", method: "POST", path: "/api/v1/register/enterprise", body: with(ent, "legal_rep_name", "\xfe王五"), field: "legal_rep_name"},
			{name: "NUL in a sign-in name", method: "POST", path: "/api/v1/login", body: `{"login":"ad\u0000min","password":"x"}`, field: "login"},
			{name: "invalid UTF-8 in a sign-in name", method: "POST", path: "/api/v1/login", body: "{\"login\":\"admin\xff\",\"password\":\"x\"}", field: "login"},
			{name: "NUL in a sign-in password", method: "POST", path: "/api/v1/login", body: `{"login":"admin","password":"\u0000"}`, field: "password"},
			{name: "item %00", method: "GET", path: "/api/v1/items/%00", field: "code"},
			{name: "item %ff", method: "GET", path: "/api/v1/items/%ff", field: "code"},
			{name: "region %ff", method: "GET", path: "/api/v1/regions/%ff", field: "code"},
			{name: "region %00", method: "GET", path: "/api/v1/regions/%00", field: "code"},
			{name: "orgs within %ff", method: "GET", path: "/api/v1/orgs?within=%ff", field: "within"},
			{name: "orgs within %00", method: "GET", path: "/api/v1/orgs?within=%00", field: "within"},
			{name: "search %00", method: "GET", path: "/api/v1/search?q=%00", field: "q"},
			{name: "search %ff%fe", method: "GET", path: "/api/v1/search?q=%ff%fe", field: "q"},
			{name: "calendar year %ff", method: "GET", path: "/api/v1/calendar/years/%ff", field: "year"},
			{name: "search page %ff", method: "GET", path: "/search?q=%ff", field: "q"},
			{name: "guide page %00", method: "GET", path: "/guide/%00", field: "id"},
			{name: "sign-in form with NUL", method: "POST", path: "/login", body: "login=ad%00min&password=x", field: "login"},
			{name: "registration form with %ff", method: "POST", path: "/register", body: "name=%ff&id_number=x", field: "name"},
			{name: "Idempotency-Key of bytes ff fe", as: "511602199003071232", method: "POST", path: "/api/v1/cases", body: `{}`,
				headers: []string{"Idempotency-Key", "\xff\xfe"}, field: "Idempotency-Key"},
			{name: "NUL in a new password", as: "511602199003071232", method: "POST", path: "/api/v1/me/password",
				body: `{"old_password":"Tongban@2026","new_password":"Tongban@2027\u0000"}`, field: "new_password"},
			{name: "invalid UTF-8 in a token name", as: "511602199003071232", method: "POST", path: "/api/v1/tokens", body: "{\"name\":\"\xff\"}", field: "name"},
			{name: "case %00", as: "511602199003071232", method: "GET", path: "/api/v1/cases/%00", field: "number"},
			{name: "NUL deep in an application form", as: "511602199003071232", method: "POST", path: "/api/v1/cases",
				body: `{"listing_id":1,"form":{"applicant":{"address":"广安\u0000"}}}`, field: "form.applicant.address"},
			{name: "NUL in a staff name", as: "admin", method: "POST", path: "/api/v1/staff",
				body: `{"username":"nul","name":"王\u0000","password":"Tongban@2026x","roles":[]}`, field: "name"},
			{name: "NUL in an org name", as: "admin", method: "POST", path: "/api/v1/orgs", body: `{"code":"x","name":"\u0000"}`, field: "name"},
			{name: "invalid UTF-8 in a region name", as: "admin", method: "POST", path: "/api/v1/regions", body: "{\"code\":\"511602999000\",\"name\":\"\xc3\"}", field: "name"},
			{name: "NUL in a role grant", as: "admin", method: "POST", path: "/api/v1/users/1/roles", body: `{"role":"clerk\u0000","org_id":1}`, field: "role"},
			{name: "NUL in a listing field", as: "catalog", method: "PUT", path: "/api/v1/listings/" + itoa(listing),
				body: `{"reason":"改\u0000"}`, field: "reason"},
			{name: "NUL in an import option", as: "catalog", method: "POST", path: "/api/v1/catalog/import", field: "publish"},
			{name: "claim %ff", as: "catalog", method: "POST", path: "/api/v1/items/%ff/claim", body: `{}`, field: "code"},
			{name: "user %00", as: "clerk", method: "GET", path: "/api/v1/users/%00", field: "id"},
		}
		for _, p := range probes {
			c := clients[p.as]
			body, headers := []byte(p.body), p.headers
			switch {
			case p.path == "/api/v1/catalog/import":
				var b bytes.Buffer
				mw := multipart.NewWriter(&b)
				mw.WriteField("publish", "\x00")
				fw, _ := mw.CreateFormFile("file", "c.csv")
				fw.Write([]byte("x"))
				mw.Close()
				body, headers = b.Bytes(), []string{"Content-Type", mw.FormDataContentType()}
			case !strings.HasPrefix(p.path, "/api/") && p.method == "POST":
				body = []byte(p.body + "&csrf_token=" + url.QueryEscape(c.pageToken(p.path)))
				headers = []string{"Content-Type", "application/x-www-form-urlencoded"}
			case p.body == "":
				body = nil
			}
			status, h, out := c.sendRaw(p.method, p.path, body, headers...)
			if status != http.StatusBadRequest {
				t.Errorf("%s: %d %.200s, want 400", p.name, status, out)
				continue
			}
			if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				if !bytes.Contains(out, []byte("“"+p.field+"”")) && !bytes.Contains(out, []byte("路径")) {
					t.Errorf("%s: page does not name %s: %.300s", p.name, p.field, out)
				}
				continue
			}
			var e apiError
			if err := json.Unmarshal(out, &e); err != nil || e.Error.Field != p.field || e.Error.Code != "invalid" || !hasHan(e.Error.Message) {
				t.Errorf("%s: %s, want invalid naming %q", p.name, out, p.field)
			}
		}
		if len(probes) < 37 {
			t.Errorf("%d probes", len(probes))
		}
		usersAfter, _ := a.Store.Users(ctx, tongban.UserFilter{})
		if len(usersAfter) != len(usersBefore) {
			t.Errorf("users %d → %d: a probe was stored", len(usersBefore), len(usersAfter))
		}
	})
}

// pageToken fetches a page and returns the CSRF token of its form.
func (c *client) pageToken(path string) string {
	c.t.Helper()
	_, _, page := c.sendRaw("GET", path, nil)
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		c.t.Fatalf("no CSRF token on %s", path)
	}
	return string(m[1])
}

// sendRaw is send without URL parsing of the path, so that %00 and %ff
// reach the server as written.
func (c *client) sendRaw(method, path string, body []byte, headers ...string) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+"/", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	p, q, _ := strings.Cut(path, "?")
	req.URL.Opaque = "//" + req.URL.Host + p
	req.URL.RawQuery = q
	return c.roundTrip(req, body != nil, headers...)
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
