package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLinkCacheStampsEveryUpdatedColumn: the verify links' cache (and the
// claims' licence cache, whose stamp is the licence's part of it) is never
// stale only while every column the store ever updates on a link or a
// licence is one linkStampQuery reads. This reads the store's statements
// and holds each UPDATE of those tables to that list, so a new one that
// changes another column fails here rather than serving old licences.
func TestLinkCacheStampsEveryUpdatedColumn(t *testing.T) {
	stamped := map[string]map[string]bool{
		"license_links": {"revoked_at": true, "expires_at": true},
		// face_unchecked is not part of a licence as read (only the
		// sealing job reads it).
		"licenses": {"status": true, "status_reason": true, "status_at": true, "face": true, "face_sealed": true,
			"face_unchecked": true},
	}
	for _, col := range []string{"k.revoked_at", "k.expires_at", "l.status,", "l.status_reason", "l.status_at", "l.face,", "l.face_sealed"} {
		if !strings.Contains(linkStampQuery, col) {
			t.Fatalf("linkStampQuery does not read %s", col)
		}
	}
	for _, col := range []string{"status,", "status_reason", "status_at", "face,", "face_sealed"} {
		if !strings.Contains(licenceStampQuery, col) {
			t.Fatalf("licenceStampQuery does not read %s", col)
		}
	}
	// A statement is a raw string: no match runs past its closing quote.
	update := regexp.MustCompile("(?is)UPDATE\\s+(licenses|license_links)\\s+SET\\s+([^`]*?)\\s+WHERE")
	upsert := regexp.MustCompile("(?is)INTO\\s+(licenses|license_links)\\s*\\([^`]*?ON\\s+CONFLICT")
	assign := regexp.MustCompile(`(?:^|,)\s*([a-z_]+)\s*=`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := upsert.Find(src); m != nil {
			t.Errorf("%s: an upsert into a verify link's tables; add what it changes to the stamp: %.80s", f, m)
		}
		for _, m := range update.FindAllSubmatch(src, -1) {
			seen++
			table := string(m[1])
			for _, a := range assign.FindAllSubmatch(m[2], -1) {
				if col := string(a[1]); !stamped[table][col] {
					t.Errorf("%s: UPDATE %s sets %s, which linkStampQuery does not read", f, table, col)
				}
			}
		}
	}
	if seen < 3 { // the 注销, the share's withdrawal, the face's sealing
		t.Fatalf("found %d UPDATE statements of licences and links, want at least 3", seen)
	}
}
