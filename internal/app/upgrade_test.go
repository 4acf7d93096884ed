package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/app"
)

func openApp(t *testing.T, dir string) *app.App {
	t.Helper()
	cfg := app.Config{DataDir: dir, Secret: strings.Repeat("5a", 32)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), tongban.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A data directory written before migration 00018 (plain forms in the
// database, plain files under blobs/sha256/) holds nothing readable after
// the next start, and its cases and files still read whole.
func TestUpgradeSealsPlainFormsAndFiles(t *testing.T) {
	dir, ctx := t.TempDir(), context.Background()
	a := openApp(t, dir)
	st := a.Store
	for _, r := range []tongban.Region{{Code: "510000000000", Name: "四川省"}, {Code: "511600000000", Name: "广安市"}} {
		if err := st.CreateRegion(ctx, &r); err != nil {
			t.Fatal(err)
		}
	}
	dept := &tongban.Org{Code: "gas-mzj", Name: "广安市民政局", Kind: tongban.OrgDepartment, RegionCode: "511600000000"}
	if err := st.CreateOrg(ctx, dept); err != nil {
		t.Fatal(err)
	}
	u := &tongban.User{Kind: tongban.UserCitizen, Name: "张三", PasswordHash: "h", CreatedAt: time.Now()}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	// A file as the code before 00018 stored it.
	scan := []byte("%PDF-1.7\n% LEGACY-SCAN " + memberName + "\n%%EOF\n")
	sum := sha256.Sum256(scan)
	h := hex.EncodeToString(sum[:])
	legacy := filepath.Join(dir, "blobs", "sha256", h[:2], h[2:4], h)
	os.MkdirAll(filepath.Dir(legacy), 0o750)
	if err := os.WriteFile(legacy, scan, 0o640); err != nil {
		t.Fatal(err)
	}
	form, _ := json.Marshal(map[string]any{"家庭成员": []map[string]string{{"姓名": memberName, "身份证号": memberID, "手机": memberPhone}}})
	c := &tongban.Case{Number: "511600000000-20260302-000001", ListingID: 1, ListingVersion: 1, ItemName: "最低生活保障",
		ListingName: "最低生活保障审核确认", OrgID: dept.ID, RegionCode: dept.RegionCode, ApplicantID: u.ID,
		ApplicantName: u.Name, Channel: tongban.ChannelOnline, State: tongban.CaseSubmitted, CreatedAt: time.Now(), UpdatedAt: time.Now(),
		Materials: []tongban.CaseMaterial{{Key: "m1", Name: "身份证", BlobHash: "sha256:" + h, Status: tongban.MaterialProvided}}}
	if err := st.CreateCase(ctx, c); err != nil {
		t.Fatal(err)
	}
	a.Close()
	// The form as the code before 00018 stored it.
	db, err := sql.Open("sqlite", filepath.Join(dir, "tongban.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE cases SET form = ? WHERE id = ?`, string(form), c.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, "tongban.db")); !bytes.Contains(b, []byte(memberID)) {
		if w, _ := os.ReadFile(filepath.Join(dir, "tongban.db-wal")); !bytes.Contains(w, []byte(memberID)) {
			t.Fatal("setup: the plain form is not on disk")
		}
	}

	a = openApp(t, dir)
	defer a.Close()
	got, err := a.Store.Case(ctx, c.ID)
	if err != nil || !bytes.Equal(got.Form, form) {
		t.Fatalf("case after the upgrade: %v, %v", got, err)
	}
	r, err := a.Blobs.Open("sha256:" + h)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(r); !bytes.Equal(b, scan) {
		t.Error("the old file reads back differently")
	}
	scanDataDir(t, dir, []string{memberName, memberID, memberPhone, "LEGACY-SCAN"})
	// The old file is no longer named by its SHA-256 (the case still names
	// it so: its identifier stays valid).
	filepath.WalkDir(dir, func(path string, _ os.DirEntry, _ error) error {
		if strings.Contains(path, h) || strings.Contains(path, "sha256") {
			t.Errorf("%s is named by a plain content hash", path)
		}
		return nil
	})
}
