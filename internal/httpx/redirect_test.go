package httpx_test

import (
	"testing"

	"github.com/tongban/tongban/internal/httpx"
)

func TestLocalPath(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"/console", "/console"},
		{"/cases/5116?tab=events", "/cases/5116?tab=events"},
		{"/search?q=%E8%90%A5%E4%B8%9A", "/search?q=%E8%90%A5%E4%B8%9A"},
		{"", ""},
		{"console", ""},
		{"https://evil.example/", ""},
		{"//evil.example/", ""},
		{"/\t/evil.example/", ""},
		{"/%09/evil.example/", ""}, // the probe that signed people into another origin
		{"/%20/evil.example", ""},
		{"/\\evil.example", ""},
		{"/%5Cevil.example", ""},
		{"/%2F/evil.example", ""},
		{"/%2f%2fevil.example", ""},
		{"/a//b", ""},
		{"/%00", ""},
		{"/%ff", ""},
		{"/%zz", ""},
		{"/\u2028evil", ""},
		{"/a b", ""},
		{"/javascript:alert(1)", "/javascript:alert(1)"}, // a path on this site, harmless
	} {
		if got := httpx.LocalPath(tc.in); got != tc.want {
			t.Errorf("LocalPath(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ referer, want string }{
		{"https://zwfw.example.gov.cn/guide/3?x=1", "/guide/3?x=1"},
		{"https://zwfw.example.gov.cn.evil.example/guide", ""},
		{"https://evil.example/https://zwfw.example.gov.cn/", ""},
		{"https://zwfw.example.gov.cn//evil.example", ""},
		{"https://zwfw.example.gov.cn", ""},
		{"/guide", ""},
	} {
		if got := httpx.LocalReferer(tc.referer, "https://zwfw.example.gov.cn"); got != tc.want {
			t.Errorf("LocalReferer(%q) = %q, want %q", tc.referer, got, tc.want)
		}
	}
}
