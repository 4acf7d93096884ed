// Package blob stores uploaded materials by content: a file's name is the
// SHA-256 of its bytes, so the same document uploaded twice is stored once,
// a reference can be checked against the bytes, and a retried upload after
// a failed submit finds the file already there. Writes go to a temporary
// file that is synced and renamed into place, so a crash or a full disk
// never leaves half a file under a real name.
package blob

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"syscall"

	"github.com/tongban/tongban"
)

// MaxSize is the largest accepted upload.
const MaxSize = 20 << 20

// Media types of accepted materials.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
	OFD  = "application/ofd" // GB/T 33190 版式文档, the national e-document format
)

// Info describes a stored blob.
type Info struct {
	Hash      string `json:"hash"` // "sha256:<hex>"
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// Store keeps blobs on a local disk under root.
type Store struct {
	root string
}

// NewLocal returns a store under dir, creating it if needed.
func NewLocal(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", dir, err)
	}
	return &Store{root: dir}, nil
}

var hashPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

func (s *Store) path(hash string) string {
	h := hash[len("sha256:"):]
	return filepath.Join(s.root, "sha256", h[:2], h[2:4], h)
}

// Put stores r's bytes if they are an accepted type within MaxSize and
// returns their hash. field names the form field for error messages.
func (s *Store) Put(ctx context.Context, field string, r io.Reader) (Info, error) {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "upload-*")
	if err != nil {
		return Info{}, storageError(err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed into place
	defer tmp.Close()

	h := sha256.New()
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(tmp, h, &limitedBuffer{&head, 512}), io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Info{}, storageError(err)
	}
	if n == 0 {
		return Info{}, tongban.FieldError(field, "文件为空")
	}
	if n > MaxSize {
		return Info{}, tongban.FieldError(field, "文件不能超过 %d MB", MaxSize>>20)
	}
	mediaType, err := sniff(head.Bytes(), tmp, n)
	if err != nil {
		return Info{}, tongban.FieldError(field, "%s", err.Error())
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, storageError(err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, storageError(err)
	}
	info := Info{Hash: "sha256:" + hex.EncodeToString(h.Sum(nil)), Size: n, MediaType: mediaType}
	final := s.path(info.Hash)
	if _, err := os.Stat(final); err == nil {
		return info, nil // the same bytes are already stored
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Info{}, storageError(err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Info{}, storageError(err)
	}
	syncDir(filepath.Dir(final))
	return info, nil
}

// Open returns a stored blob's bytes.
func (s *Store) Open(hash string) (io.ReadCloser, error) {
	if !hashPattern.MatchString(hash) {
		return nil, tongban.FieldError("hash", "文件标识格式错误")
	}
	f, err := os.Open(s.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, tongban.Errorf(tongban.ENotFound, "文件不存在")
	}
	return f, err
}

// Exists reports whether a blob is stored.
func (s *Store) Exists(hash string) bool {
	if !hashPattern.MatchString(hash) {
		return false
	}
	_, err := os.Stat(s.path(hash))
	return err == nil
}

// Delete removes a stored blob; one not stored is no error.
func (s *Store) Delete(hash string) error {
	if !hashPattern.MatchString(hash) {
		return tongban.FieldError("hash", "文件标识格式错误")
	}
	if err := os.Remove(s.path(hash)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return storageError(err)
	}
	return nil
}

// sniff decides the media type from the content, never from the name the
// client gave: PDF, JPEG, PNG, or OFD (a zip package with OFD.xml at its root).
func sniff(head []byte, f *os.File, size int64) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if zr, err := zip.NewReader(f, size); err == nil {
			for _, zf := range zr.File {
				if zf.Name == "OFD.xml" {
					return OFD, nil
				}
			}
		}
	}
	detected := http.DetectContentType(head)
	return "", fmt.Errorf("只接受 PDF、JPEG、PNG 或 OFD 文件，此文件为 %s", detected)
}

// storageError turns disk trouble into a clean error for the user; the
// cause (full disk, read-only, permissions) goes to the log via Err.
func storageError(err error) error {
	msg := "文件存储暂时不可用，请稍后再试"
	if errors.Is(err, syscall.ENOSPC) {
		msg = "文件存储空间已满，请稍后再试或联系管理员"
	}
	return tongban.Wrap(tongban.EUnavailable, err, "%s", msg)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// limitedBuffer keeps the first max bytes written to it, for sniffing.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
