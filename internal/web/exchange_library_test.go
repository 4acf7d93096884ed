package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/demo"
)

// cityListing is the published city listing of the item named.
func (s *caseSite) cityListing(name string) *tongban.Listing {
	s.t.Helper()
	ls, err := s.app.Store.Listings(context.Background(), tongban.ListingFilter{Q: name, Region: "511600000000", Status: tongban.ListingPublished})
	if err != nil {
		s.t.Fatal(err)
	}
	for _, l := range ls {
		if l.RegionCode == "511600000000" && l.Name == name {
			return l
		}
	}
	s.t.Fatalf("no city listing %s", name)
	return nil
}

// keyOf is the key of the listing's material with the standard code.
func keyOf(t *testing.T, l *tongban.Listing, code string) string {
	t.Helper()
	for _, m := range l.Materials {
		if m.Standard == code {
			return m.Key
		}
	}
	t.Fatalf("%s asks no %s", l.Name, code)
	return ""
}

// The clerk passes the ID card uploaded for 就业创业证申领 while accepting;
// applying for 社会保障卡申领 the citizen finds it offered from the library
// and uploads only the photo; the clerk's page says where the ID card came
// from; the citizen sees the library and deletes the entry.
func TestLibraryOnThePages(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t)
	first, second := s.cityListing("就业创业证申领"), s.cityListing("社会保障卡申领")
	idKey, photoKey := keyOf(t, first, "BZ0101"), keyOf(t, second, "BZ0108")
	citizen := s.as(demo.Citizen.IDNumber)
	apply := func(l *tongban.Listing, v url.Values, files map[string]string) (int, string, string) {
		path := "/apply/" + itoa(l.ID)
		_, page := citizen.get(path)
		v.Set("csrf_token", citizen.csrf(page))
		v.Set("idempotency_key", hidden(t, page, "idempotency_key"))
		v.Set("listing_version", itoa(int64(l.Version)))
		v.Set("contact", "张三")
		v.Set("phone", "13800138000")
		v.Set("delivery", "pickup")
		return citizen.postFiles(path, v, files)
	}
	status, _, loc := apply(first, url.Values{}, map[string]string{"file_" + idKey: tinyPDF + "%idcard"})
	if status != http.StatusSeeOther {
		t.Fatalf("first application: %d", status)
	}
	number := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")

	clerk := s.as("clerk")
	_, page := clerk.get("/console/cases/" + number)
	mustContain(t, "accept form", page, `id="accept-confirm"`, `name="confirm_`+idKey+`"`)
	status, _, _ = clerk.post("/console/cases/"+number, "/console/cases/"+number+"/accept",
		url.Values{"version": {itoa(int64(s.caseNow(number).Version))}, "confirm_" + idKey: {"on"}, "valid_until_" + idKey: {"2036-05-01"}})
	if status != http.StatusSeeOther {
		t.Fatalf("accept with confirmation: %d", status)
	}
	if m, _ := s.caseNow(number).Material(idKey); !m.Confirmed {
		t.Fatalf("the ID card was not marked confirmed: %+v", m)
	}

	_, page = citizen.get("/apply/" + itoa(second.ID))
	mustContain(t, "second apply page", page, `id="library-offer-`+keyOf(t, second, "BZ0101")+`"`, number, "2036-05-01", "无需上传")
	status, page, loc = apply(second, url.Values{"situation_s1": {"a2"}, "reuse_" + keyOf(t, second, "BZ0101"): {hiddenReuse(t, page, keyOf(t, second, "BZ0101"))}},
		map[string]string{"file_" + photoKey: tinyPDF + "%photo"})
	if status != http.StatusSeeOther {
		t.Fatalf("second application: %d %s", status, errorsOf(page))
	}
	again := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/cases/")
	c := s.caseNow(again)
	if m, _ := c.Material(keyOf(t, second, "BZ0101")); m.Status != tongban.MaterialReused || m.Ref == nil || !m.Spared() {
		t.Fatalf("reused ID card = %+v", m)
	}
	_, page = clerk.get("/console/cases/" + again)
	mustContain(t, "clerk's case page", page, "来自材料库，于 "+number+" 号办件中确认", "/cases/"+again+"/materials/"+keyOf(t, second, "BZ0101"))

	_, page = citizen.get("/account/library")
	mustContain(t, "library", page, `data-standard="BZ0101"`, "居民身份证", "2036-05-01", number)
	entries, _ := s.app.Exchange.Library.Entries(context.Background(), s.user(demo.Citizen.IDNumber))
	if len(entries) != 1 {
		t.Fatalf("library holds %d entries, want the ID card", len(entries))
	}
	status, _, _ = citizen.post("/account/library", "/account/library/"+itoa(entries[0].ID)+"/delete", url.Values{})
	if status != http.StatusSeeOther {
		t.Fatalf("delete: %d", status)
	}
	_, page = citizen.get("/apply/" + itoa(second.ID))
	if strings.Contains(page, "library-offer-") {
		t.Error("a deleted entry is still offered")
	}
}

// hiddenReuse is the entry id the page offers for the material.
func hiddenReuse(t *testing.T, page, key string) string {
	t.Helper()
	i := strings.Index(page, `name="reuse_`+key+`"`)
	if i < 0 {
		t.Fatalf("no library offer for %s", key)
	}
	rest := page[i:]
	j := strings.Index(rest, `value="`)
	rest = rest[j+len(`value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// errorsOf picks the error lines of a page, for failure messages.
func errorsOf(page string) string {
	var out []string
	for _, line := range strings.Split(page, "\n") {
		if strings.Contains(line, "error") {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return strings.Join(out, "\n")
}
