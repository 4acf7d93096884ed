package httpx

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LocalPath returns target if it is a path on this site of a strict form,
// else "": one leading "/", no "//" and no backslash anywhere, and, after
// percent-decoding, no control or space characters and valid UTF-8.
// Browsers forgive much ("/\t/evil.example", "/\\evil.example",
// "/%2F/evil.example" after a proxy decodes it): anything they could read
// as another origin is refused rather than repaired. Every redirect to a
// target a request supplied (?next=, the Referer) goes through here.
func LocalPath(target string) string {
	if !strings.HasPrefix(target, "/") || strings.Contains(target, "//") || strings.Contains(target, "\\") {
		return ""
	}
	decoded, err := url.PathUnescape(target)
	if err != nil || !utf8.ValidString(decoded) || strings.Contains(decoded, "//") || strings.Contains(decoded, "\\") {
		return ""
	}
	for _, r := range decoded {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			return ""
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	return target
}

// LocalReferer returns the path and query of a Referer on publicURL's
// origin, if LocalPath accepts them, else "".
func LocalReferer(referer, publicURL string) string {
	if referer == "" || publicURL == "" {
		return ""
	}
	rest, ok := strings.CutPrefix(referer, strings.TrimSuffix(publicURL, "/"))
	if !ok || !strings.HasPrefix(rest, "/") {
		return ""
	}
	return LocalPath(rest)
}
