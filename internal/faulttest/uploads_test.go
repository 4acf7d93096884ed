package faulttest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
	"github.com/tongban/tongban/internal/bench"
)

// TestUploadStoreFaults fills and then breaks the upload store under a
// running server: the applicant gets a clean 503 in the API's error shape
// with a Chinese message, nothing half-stored is left behind, a submission
// naming the failed upload is refused, and uploads work again once there
// is room. The full disk is a 256 KB tmpfs, which needs root.
func TestUploadStoreFaults(t *testing.T) {
	data := t.TempDir()
	blobs := filepath.Join(data, "blobs")
	os.MkdirAll(blobs, 0o750)
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", blobs).Run(); err != nil {
		if required() {
			t.Fatalf("cannot mount a small tmpfs as root: %v", err)
		}
		t.Skipf("cannot mount a small tmpfs here: %v", err)
	}
	defer exec.Command("umount", blobs).Run()
	cfg := app.Config{DataDir: data, Secret: testSecret, Demo: true}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	f, err := bench.NewCaseFixture(ctx, srv.URL, 1) // its small uploads fit
	if err != nil {
		t.Fatal(err)
	}
	applicant := f.Applicants[0]
	upload := func(b []byte) (string, error) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/uploads", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/pdf")
		var info struct{ Hash string }
		err := applicant.Send(req, &info)
		return info.Hash, err
	}
	wantUnavailable := func(what, hint string, err error) {
		t.Helper()
		var e *bench.APIError
		if !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable || e.Code != string(tongban.EUnavailable) ||
			!strings.Contains(e.Message, hint) {
			t.Errorf("%s: %v, want 503 unavailable mentioning %q", what, err, hint)
		}
	}
	leftovers := func(what string) {
		t.Helper()
		if es, _ := os.ReadDir(filepath.Join(blobs, "tmp")); len(es) != 0 {
			t.Errorf("%s left %d temporary files", what, len(es))
		}
	}

	big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("扫描件"), 40<<10)...)
	_, err = upload(big)
	wantUnavailable("upload to a full store", "空间已满", err)
	leftovers("the upload to a full store")

	sum := sha256.Sum256(big)
	body := map[string]any{"listing_id": f.Listing.ID, "form": f.Form,
		"materials": append([]bench.MaterialRef{{Key: f.Materials[0][0].Key, BlobHash: "sha256:" + hex.EncodeToString(sum[:])}}, f.Materials[0][1:]...)}
	err = applicant.Do(ctx, "POST", "/api/v1/cases", body, nil)
	var e *bench.APIError
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || !strings.HasSuffix(e.Field, "blob_hash") {
		t.Errorf("submission naming the failed upload: %v, want 400 on its blob_hash", err)
	}

	// Unwritable: the store's temporary directory is not a directory.
	tmp := filepath.Join(blobs, "tmp")
	os.RemoveAll(tmp)
	os.WriteFile(tmp, []byte("not a directory"), 0o600)
	_, err = upload([]byte("%PDF-1.7\n% small\n"))
	wantUnavailable("upload to an unwritable store", "存储", err)
	os.Remove(tmp)
	os.Mkdir(tmp, 0o750)

	if h, err := upload([]byte("%PDF-1.7\n% small again\n")); err != nil || !a.Blobs.Exists(h) {
		t.Errorf("upload once the store is writable again: %q %v", h, err)
	}
	leftovers("the failed uploads")
}
