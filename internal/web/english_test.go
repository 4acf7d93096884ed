package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// fullWidth is the punctuation a Chinese page uses and an English one must
// not: an English reader sees "Name：" as a typo.
const fullWidth = "，。：；（）！？、【】《》「」"

// The main public pages in English carry no full-width punctuation in
// their own words. Data (item names, addresses) stays Chinese and keeps
// its punctuation: a mark next to a Han character is taken as data.
func TestEnglishPagesUseHalfWidthPunctuation(t *testing.T) {
	t.Parallel()
	b, a := guideSite(t)
	l := guideListing(t, a, "食品经营许可证核发", "511600000000")
	pages := []string{"/", "/search", "/search?q=营业执照", "/search?q=zzzzqqq", fmt.Sprintf("/guide/%d", l.ID),
		fmt.Sprintf("/guide/%d/print", l.ID), "/login", "/register", "/register?kind=legal", "/progress", "/forgot",
		"/agreements/terms", "/agreements/privacy", "/no-such-page"}
	for _, p := range pages {
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		status, page := b.get(p + sep + "lang=en")
		if status != http.StatusOK && p != "/no-such-page" {
			t.Errorf("%s: status %d", p, status)
		}
		if !strings.Contains(page, `<html lang="en">`) {
			t.Errorf("%s is not in English", p)
		}
		for _, bad := range chromePunctuation(page) {
			t.Errorf("%s (English) has full-width punctuation in %q", p, bad)
		}
	}
	// A lookup that finds nothing says so in English too.
	status, page, _ := b.post("/progress?lang=en", "/progress?lang=en", url.Values{"number": {"GA20260302000001"}, "name": {"张三"}})
	if status >= 500 {
		t.Errorf("progress lookup: %d", status)
	}
	for _, bad := range chromePunctuation(page) {
		t.Errorf("progress lookup (English) has full-width punctuation in %q", bad)
	}
}

var (
	// A textarea holds the data being edited (a synonyms file, a list of
	// conditions), which keeps its own marks like any other data.
	scriptOrStyle = regexp.MustCompile(`(?s)<(script|style|textarea)[^>]*>.*?</(script|style|textarea)>`)
	tag           = regexp.MustCompile(`<[^>]*>`)
)

// chromePunctuation returns the stretches of page text around each
// full-width mark that no Han character touches.
func chromePunctuation(page string) []string {
	text := tag.ReplaceAllString(scriptOrStyle.ReplaceAllString(page, " "), "\n")
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		rs := []rune(line)
		for i, r := range rs {
			if !strings.ContainsRune(fullWidth, r) {
				continue
			}
			if nearHan(rs, i, -1) || nearHan(rs, i, 1) {
				continue
			}
			bad = append(bad, strings.TrimSpace(line))
			break
		}
	}
	return bad
}

// nearHan tells whether the nearest non-space, non-punctuation character
// from i in direction step is Han.
func nearHan(rs []rune, i, step int) bool {
	for j := i + step; j >= 0 && j < len(rs); j += step {
		r := rs[j]
		if unicode.IsSpace(r) || strings.ContainsRune(fullWidth, r) {
			continue
		}
		return unicode.Is(unicode.Han, r)
	}
	return false
}

// Every page links the favicon, which is served (also where browsers look
// unasked); a page's title is "<page> · 通办", the home page's just "通办".
func TestFaviconAndTitles(t *testing.T) {
	t.Parallel()
	b, _ := guideSite(t)
	resp, err := b.c.Get(b.base + "/static/favicon.svg")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = b.c.Get(b.base + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/static/favicon.svg" {
		t.Errorf("/favicon.ico: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for path, title := range map[string]string{"/": "<title>通办</title>", "/login": "<title>登录 · 通办</title>",
		"/?lang=en": "<title>Tongban</title>", "/login?lang=en": "<title>Sign in · Tongban</title>"} {
		_, page := b.get(path)
		if !strings.Contains(page, title) {
			t.Errorf("%s: want %s", path, title)
		}
		if !strings.Contains(page, `<link rel="icon" href="/static/favicon.svg"`) {
			t.Errorf("%s does not link the favicon", path)
		}
	}
}
