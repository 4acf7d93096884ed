// Package e2e drives a whole Tongban — real database, real HTTP server —
// from a real headless Chromium, as the people who use it would.
package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/app/apptest"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

// Site is a running Tongban with the demo city loaded.
type Site struct {
	URL string
	App *app.App
}

// StartSite starts Tongban on the dialect's fresh database with the demo city.
func StartSite(t testing.TB, d sqldb.Dialect, clock tongban.Clock) *Site {
	t.Helper()
	dir := t.TempDir()
	// The server's address is known before it starts, so it is the public
	// URL that links and QR codes carry.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := app.Config{DataDir: dir, Demo: true, Secret: "0707070707070707070707070707070707070707070707070707070707070707",
		PublicURL: "http://" + ln.Addr().String()}
	switch d {
	case sqldb.SQLite:
		cfg.DB = filepath.Join(dir, "tongban.db")
	case sqldb.Postgres:
		cfg.DB = storetest.CreatePostgresDB(t)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := apptest.Open(context.Background(), cfg, log, clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(a.Handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() { srv.Close(); a.Close() })
	return &Site{URL: srv.URL, App: a}
}

// ChromiumPath finds Debian's Chromium. With CI=true a missing browser fails
// the test; otherwise it is skipped (scripts/test installs it).
func ChromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{os.Getenv("TONGBAN_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if storetest.Required() {
		t.Fatal("Chromium is required (CI=true) but not installed: run scripts/test, which installs it")
	}
	t.Skip("Chromium not installed; scripts/test installs it")
	return ""
}

// Browser returns a fresh headless Chromium tab the size of a phone,
// closed at cleanup.
func Browser(t testing.TB) context.Context {
	t.Helper()
	return BrowserSized(t, 390, 844) // a phone: pages must work there
}

// BrowserSized is Browser with a window of width × height, e.g. a desktop's.
func BrowserSized(t testing.TB, width, height int) context.Context {
	t.Helper()
	// Chromium may still be writing its profile as it exits, so the profile
	// is removed with retries rather than by t.TempDir's strict cleanup.
	profile, err := os.MkdirTemp("", "tongban-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(ChromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	// A whole journey through the site, on a machine shared with other
	// test processes, can take minutes; a stuck step still ends.
	ctx, cancelTimeout := context.WithTimeout(ctx, 8*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a full-page PNG under $TONGBAN_SCREENSHOTS, if set, for
// people to look at what a test saw.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	dir := os.Getenv("TONGBAN_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}
