package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
)

var (
	formInput    = regexp.MustCompile(`<input\b[^>]*>`)
	formSelect   = regexp.MustCompile(`(?s)<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	formOption   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
	formTextarea = regexp.MustCompile(`(?s)<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	formAttr     = regexp.MustCompile(`\b(name|value|type)="([^"]*)"|\b(checked)\b`)
)

// pageForm is what a browser would post from the form with the id on the
// page, as the page fills it: text inputs and textareas as shown, selects
// by their selected option (else the first), checkboxes only when checked.
// Buttons are not sent.
func pageForm(page, id string) url.Values {
	at := strings.Index(page, `id="`+id+`"`)
	if at < 0 {
		return nil
	}
	start := strings.LastIndex(page[:at], "<form")
	if start < 0 {
		return nil
	}
	body := page[start:]
	body = body[:strings.Index(body, "</form>")]
	v := url.Values{}
	for _, in := range formInput.FindAllString(body, -1) {
		a := map[string]string{}
		for _, m := range formAttr.FindAllStringSubmatch(in, -1) {
			if m[3] != "" {
				a["checked"] = "1"
				continue
			}
			a[m[1]] = html.UnescapeString(m[2])
		}
		if a["name"] == "" || (a["type"] == "checkbox" && a["checked"] == "") {
			continue
		}
		v.Add(a["name"], a["value"])
	}
	for _, m := range formSelect.FindAllStringSubmatch(body, -1) {
		opts := formOption.FindAllStringSubmatch(m[2], -1)
		if len(opts) == 0 {
			continue
		}
		chosen := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				chosen = o[1]
			}
		}
		v.Set(m[1], html.UnescapeString(chosen))
	}
	for _, m := range formTextarea.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], strings.TrimPrefix(html.UnescapeString(m[2]), "\n"))
	}
	return v
}
