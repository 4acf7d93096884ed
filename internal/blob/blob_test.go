package blob

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban"
)

func ofdBytes(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("OFD.xml")
	io.WriteString(w, `<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>`)
	zw.Close()
	return buf.Bytes()
}

func TestPutAcceptsMaterialTypesAndDedupes(t *testing.T) {
	s, err := NewLocal(t.TempDir(), testSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n"), PDF},
		{"jpeg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 100)...), JPEG},
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...), PNG},
		{"ofd", ofdBytes(t), OFD},
	} {
		info, err := s.Put(ctx, "file", bytes.NewReader(tc.data))
		if err != nil || info.MediaType != tc.want || info.Size != int64(len(tc.data)) {
			t.Fatalf("%s: %+v, %v", tc.name, info, err)
		}
		again, err := s.Put(ctx, "file", bytes.NewReader(tc.data))
		if err != nil || again.Hash != info.Hash {
			t.Fatalf("%s second put: %+v, %v", tc.name, again, err)
		}
		r, err := s.Open(info.Hash)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, tc.data) || !s.Exists(info.Hash) {
			t.Fatalf("%s: read back differs", tc.name)
		}
	}
}

func TestPutRefusesOtherTypesEmptyAndOversized(t *testing.T) {
	s, _ := NewLocal(t.TempDir(), testSealer(t))
	ctx := context.Background()
	for name, data := range map[string][]byte{
		"html": []byte("<html><script>alert(1)</script></html>"),
		"zip": func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			zw.Create("a.txt")
			zw.Close()
			return b.Bytes()
		}(),
		"empty":     {},
		"oversized": append([]byte("%PDF-1.7\n"), make([]byte, MaxSize)...),
	} {
		_, err := s.Put(ctx, "materials[0]", bytes.NewReader(data))
		e := tongban.AsError(err)
		if e.Code != tongban.EInvalid || e.Field != "materials[0]" || e.Message == "" {
			t.Errorf("%s: %v, want invalid on materials[0]", name, err)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(s.root, "tmp")); len(entries) != 0 {
		t.Errorf("refused uploads left %d temporary files", len(entries))
	}
	if _, err := s.Open("sha256:" + strings.Repeat("0", 64)); !tongban.IsCode(err, tongban.ENotFound) {
		t.Errorf("missing blob: %v", err)
	}
	if _, err := s.Open("../../etc/passwd"); !tongban.IsCode(err, tongban.EInvalid) {
		t.Errorf("path traversal: %v", err)
	}
}

// An unwritable store gives the user a clean "unavailable" error and leaves
// nothing behind.
func TestUnwritableStoreFailsCleanly(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores permission bits; use a store whose tmp dir is a file instead.
		dir := t.TempDir()
		s, _ := NewLocal(dir, testSealer(t))
		os.RemoveAll(filepath.Join(dir, "tmp"))
		os.WriteFile(filepath.Join(dir, "tmp"), []byte("not a directory"), 0o600)
		_, err := s.Put(context.Background(), "file", strings.NewReader("%PDF-1.7"))
		if !tongban.IsCode(err, tongban.EUnavailable) || !strings.Contains(tongban.AsError(err).Message, "存储") {
			t.Fatalf("unwritable store: %v", err)
		}
		return
	}
	dir := t.TempDir()
	s, _ := NewLocal(dir, testSealer(t))
	os.Chmod(filepath.Join(dir, "tmp"), 0o500)
	defer os.Chmod(filepath.Join(dir, "tmp"), 0o700)
	_, err := s.Put(context.Background(), "file", strings.NewReader("%PDF-1.7"))
	if !tongban.IsCode(err, tongban.EUnavailable) {
		t.Fatalf("unwritable store: %v", err)
	}
}

// A full disk gives a clean "storage full" error and leaves no partial file.
// It needs a tiny tmpfs, which only root can mount.
func TestFullStoreFailsCleanly(t *testing.T) {
	dir := t.TempDir()
	if err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).Run(); err != nil {
		t.Skipf("cannot mount a small tmpfs here (needs root): %v", err)
	}
	defer exec.Command("umount", dir).Run()
	s, err := NewLocal(dir, testSealer(t))
	if err != nil {
		t.Fatal(err)
	}
	big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 200<<10)...)
	_, err = s.Put(context.Background(), "file", bytes.NewReader(big))
	if !tongban.IsCode(err, tongban.EUnavailable) || !strings.Contains(tongban.AsError(err).Message, "空间已满") {
		t.Fatalf("full store: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(entries) != 0 {
		t.Errorf("a failed upload left %d temporary files", len(entries))
	}
	small, err := s.Put(context.Background(), "file", strings.NewReader("%PDF-1.7 small"))
	if err != nil || !s.Exists(small.Hash) {
		t.Fatalf("after a failure the store still works: %v", err)
	}
}
