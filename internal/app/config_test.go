package app

import (
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/rating"
)

func TestPublicURL(t *testing.T) {
	for _, tc := range []struct {
		cfg       Config
		want, bad string
		https     bool
	}{
		{cfg: Config{DataDir: "d", Addr: "0.0.0.0:9090"}, want: "http://0.0.0.0:9090"},
		{cfg: Config{DataDir: "d", Addr: ":8443", TLSCert: "c", TLSKey: "k"}, want: "https://:8443", https: true},
		{cfg: Config{DataDir: "d", PublicURL: "https://zwfw.gaq.gov.cn/"}, want: "https://zwfw.gaq.gov.cn", https: true},
		{cfg: Config{DataDir: "d", PublicURL: "zwfw.gaq.gov.cn"}, bad: "--public-url"},
		{cfg: Config{DataDir: "d", PublicURL: "https://zwfw.gaq.gov.cn/portal"}, bad: "no path"},
		{cfg: Config{DataDir: "d", PublicURL: "ftp://zwfw.gaq.gov.cn"}, bad: "--public-url"},
		{cfg: Config{DataDir: "d", PublicURL: "https://u:p@zwfw.gaq.gov.cn"}, bad: "--public-url"},
	} {
		err := tc.cfg.Validate()
		switch {
		case tc.bad != "":
			if err == nil || !strings.Contains(err.Error(), tc.bad) {
				t.Errorf("%q: err = %v, want one mentioning %q", tc.cfg.PublicURL, err, tc.bad)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.cfg.PublicURL, err)
		case tc.cfg.PublicURL != tc.want || tc.cfg.PublicHTTPS() != tc.https:
			t.Errorf("PublicURL = %q (https %v), want %q (%v)", tc.cfg.PublicURL, tc.cfg.PublicHTTPS(), tc.want, tc.https)
		}
	}
}

func TestRatingDeadlines(t *testing.T) {
	cfg := Config{DataDir: "d"}
	if err := cfg.Validate(); err != nil || cfg.Rating.VerifyDays != 1 || cfg.Rating.RectifyDays != 10 {
		t.Errorf("defaults: %+v, %v; want 1 and 10 working days", cfg.Rating, err)
	}
	for _, bad := range []Config{
		{DataDir: "d", Rating: rating.Config{VerifyDays: 5, RectifyDays: 3}},
		{DataDir: "d", Rating: rating.Config{VerifyDays: 31}},
		{DataDir: "d", Rating: rating.Config{RectifyDays: 91}},
	} {
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "--rating-") {
			t.Errorf("%+v accepted: %v", bad.Rating, err)
		}
	}
	if cfg.Rating.Loop != (rating.LoopConfig{NoticeDays: 3, RedDays: 3, StallDays: 3, DispatchDays: 1, ReplyDays: 5}) {
		t.Errorf("督办 and complaint defaults: %+v", cfg.Rating.Loop)
	}
	for flag, loop := range map[string]rating.LoopConfig{"--notice-red-days": {RedDays: 31}, "--complaint-reply-days": {ReplyDays: -1}} {
		bad := Config{DataDir: "d", Rating: rating.Config{Loop: loop}}
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%+v accepted: %v", loop, err)
		}
	}
}
