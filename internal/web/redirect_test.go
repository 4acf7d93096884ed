package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/tongban/tongban/internal/demo"
)

// TestSignInNextStaysOnSite: /login?next= sent the browser to another
// origin after sign-in when next was "/%09/other-host/". Only strict local
// paths are followed; anything else lands on the default page.
func TestSignInNextStaysOnSite(t *testing.T) {
	t.Parallel()
	b, _ := calendarSite(t)
	for _, tc := range []struct{ next, want string }{
		{"/%09/other-host.example/x", "/console"},
		{"/\t/other-host.example/x", "/console"},
		{"//other-host.example/", "/console"},
		{"/\\other-host.example", "/console"},
		{"https://other-host.example/", "/console"},
		{"/%2F%2Fother-host.example", "/console"},
		{"/console/calendar?year=2027", "/console/calendar?year=2027"},
	} {
		b.c.Jar.SetCookies(mustURL(t, b.base), []*http.Cookie{{Name: "tongban_session", Value: "", MaxAge: -1}})
		_, page := b.get("/login?next=" + url.QueryEscape(tc.next))
		resp, err := b.c.PostForm(b.base+"/login", url.Values{"login": {"admin"}, "password": {demo.Password},
			"csrf_token": {b.csrf(page)}, "next": {tc.next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != tc.want {
			t.Errorf("next %q: %d to %q, want %q", tc.next, resp.StatusCode, got, tc.want)
		}
	}
	// The language switch goes back only to a page of this site.
	req, _ := http.NewRequest("GET", b.base+"/lang/en", nil)
	req.Header.Set("Referer", "https://other-host.example/phish")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Location"); got != "/" {
		t.Errorf("language switch with a foreign Referer went to %q", got)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
