package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/internal/sealer"
)

func testSealer(t testing.TB) *sealer.Sealer {
	t.Helper()
	s, err := sealer.New(bytes.Repeat([]byte{9}, sealer.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// filesUnder returns every file under dir with its bytes.
func filesUnder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			out[path] = b
		}
		return nil
	})
	return out
}

// A stored file is neither readable nor named by a hash anyone can compute:
// its bytes are encrypted and its name is keyed; the same bytes still get
// the same identifier, and another secret gives another one.
func TestFilesEncryptedAndNamedByKeyedHash(t *testing.T) {
	dir := t.TempDir()
	s, err := NewLocal(dir, testSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	content := pdfWith("身份证扫描件 MARKER-7f3a")
	info, err := s.Put(context.Background(), "file", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	plainHash := hex.EncodeToString(sum[:])
	if !strings.HasPrefix(info.Hash, KeyedPrefix) || strings.Contains(info.Hash, plainHash) || !ValidHash(info.Hash) {
		t.Errorf("identifier %q is not a keyed hash", info.Hash)
	}
	files := filesUnder(t, dir)
	if len(files) != 1 {
		t.Fatalf("stored %d files, want 1", len(files))
	}
	for path, b := range files {
		if strings.Contains(path, plainHash) || bytes.Contains(b, []byte("MARKER-7f3a")) || bytes.Contains(b, []byte("%PDF")) {
			t.Errorf("%s is named by its SHA-256 or readable", path)
		}
	}
	again, _ := s.Put(context.Background(), "file", bytes.NewReader(content))
	if again.Hash != info.Hash || len(filesUnder(t, dir)) != 1 {
		t.Errorf("the same bytes were stored twice: %s, %s", info.Hash, again.Hash)
	}
	other, _ := sealer.New(bytes.Repeat([]byte{8}, sealer.KeySize))
	s2, _ := NewLocal(t.TempDir(), other)
	if i2, _ := s2.Put(context.Background(), "file", bytes.NewReader(content)); i2.Hash == info.Hash {
		t.Error("another secret gives the same identifier: the name is not keyed")
	}
	// Another secret cannot open the file (copied over as a backup would be).
	wrong, _ := NewLocal(dir, other)
	if _, err := wrong.Open(info.Hash); err == nil {
		t.Error("opened with the wrong secret")
	}
}

// Files stored before 00018 (plain, under sha256/<hash>) are sealed and
// renamed at start; their identifiers keep working, and a second or
// interrupted run is harmless.
func TestLegacyFilesSealedAndRenamed(t *testing.T) {
	dir := t.TempDir()
	s, err := NewLocal(dir, testSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var contents [][]byte
	for _, tag := range []string{"LEGACY-ONE", "LEGACY-TWO"} {
		b := pdfWith(tag)
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])
		p := filepath.Join(dir, "sha256", h[:2], h[2:4], h)
		os.MkdirAll(filepath.Dir(p), 0o750)
		if err := os.WriteFile(p, b, 0o640); err != nil {
			t.Fatal(err)
		}
		ids, contents = append(ids, "sha256:"+h), append(contents, b)
	}
	// An earlier run was interrupted after sealing the first file.
	first, _ := os.ReadFile(filepath.Join(dir, "sha256", ids[0][7:9], ids[0][9:11], ids[0][7:]))
	if err := s.writeSealed(s.path(ids[0]), first); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SealLegacy(); err != nil || n != 2 {
		t.Fatalf("SealLegacy = %d, %v; want 2", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sha256")); !os.IsNotExist(err) {
		t.Errorf("the plain directory is still there: %v", err)
	}
	for path, b := range filesUnder(t, dir) {
		if bytes.Contains(b, []byte("LEGACY-")) || strings.Contains(path, ids[0][7:]) || strings.Contains(path, ids[1][7:]) {
			t.Errorf("%s still plain or named by its SHA-256", path)
		}
	}
	for i, id := range ids {
		r, err := s.Open(id)
		if err != nil {
			t.Fatalf("%s after the upgrade: %v", id, err)
		}
		got, _ := io.ReadAll(r)
		if !bytes.Equal(got, contents[i]) || !s.Exists(id) {
			t.Errorf("%s reads back differently", id)
		}
	}
	if n, err := s.SealLegacy(); err != nil || n != 0 {
		t.Errorf("second SealLegacy = %d, %v; want 0", n, err)
	}
}

func pdfWith(tag string) []byte {
	return []byte("%PDF-1.7\n% " + tag + "\n%%EOF\n")
}
