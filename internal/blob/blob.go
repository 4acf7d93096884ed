// Package blob stores uploaded materials by content: a file's identifier is
// a keyed hash of its bytes (HMAC-SM3 with a key derived from the platform
// secret), so the same document uploaded twice is stored once and a retried
// upload after a failed submit finds the file already there, while neither
// the identifier nor the file's name tells who uploaded a known document.
// Files are encrypted at rest (SM4-GCM, blob_seal.go). Writes go to a
// temporary file that is synced and renamed into place, so a crash or a
// full disk never leaves half a file under a real name.
package blob

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sealer"
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
	Hash      string `json:"hash"` // "hmac-sm3:<hex>" (or "sha256:<hex>" for files stored before 00018)
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// Store keeps blobs on a local disk under root, encrypted.
type Store struct {
	root string
	keys keys
}

// NewLocal returns a store under dir, creating it if needed; its keys are
// derived from seal's master key once, here.
func NewLocal(dir string, seal *sealer.Sealer) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", dir, err)
	}
	k, err := newKeys(seal)
	if err != nil {
		return nil, err
	}
	return &Store{root: dir, keys: k}, nil
}

// KeyedPrefix starts the identifier of every file stored since migration
// 00018; files stored before keep their "sha256:" identifiers, which cases,
// their (immutable) events and listings name, but are renamed and
// encrypted on disk by SealLegacy.
const KeyedPrefix = "hmac-sm3:"

// hashPattern is what ValidHash accepts, spelt as a pattern (for tests).
const hashPattern = `^(hmac-sm3|sha256):[0-9a-f]{64}$`

// ValidHash reports whether s has the form of a file identifier.
func ValidHash(s string) bool {
	// By hand, not by the pattern: every submission checks its uploads.
	h, ok := strings.CutPrefix(s, "hmac-sm3:")
	if !ok {
		h, ok = strings.CutPrefix(s, "sha256:")
	}
	if !ok || len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// path is where a file lives: under its keyed hash; a legacy "sha256:"
// identifier is keyed first, so no file is named by a plain content hash.
func (s *Store) path(hash string) string {
	h, keyed := strings.CutPrefix(hash, KeyedPrefix)
	if !keyed {
		h = s.keys.name([]byte(hash))
	}
	return filepath.Join(s.root, "sealed", h[:2], h[2:4], h)
}

// Put stores r's bytes if they are an accepted type within MaxSize and
// returns their hash. field names the form field for error messages.
func (s *Store) Put(ctx context.Context, field string, r io.Reader) (Info, error) {
	// Held in memory (at most MaxSize): the plain bytes never touch the disk.
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Info{}, storageError(err)
	}
	if n == 0 {
		return Info{}, tongban.FieldError(field, "文件为空")
	}
	if n > MaxSize {
		return Info{}, tongban.FieldError(field, "文件不能超过 %d MB", MaxSize>>20)
	}
	plain := buf.Bytes()
	mediaType, err := sniff(plain)
	if err != nil {
		return Info{}, tongban.FieldError(field, "%s", err.Error())
	}
	info := Info{Hash: KeyedPrefix + s.keys.name(plain), Size: n, MediaType: mediaType}
	if _, err := os.Stat(s.path(info.Hash)); err == nil {
		return info, nil // the same bytes are already stored
	}
	if err := s.writeSealed(s.path(info.Hash), plain); err != nil {
		return Info{}, storageError(err)
	}
	return info, nil
}

// writeSealed encrypts plain into a synced temporary file and renames it
// to final.
func (s *Store) writeSealed(final string, plain []byte) error {
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed into place
	defer tmp.Close()
	if _, err := tmp.Write(s.keys.seal(plain)); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return err
	}
	syncDir(filepath.Dir(final))
	return nil
}

// Open returns a stored blob's bytes (an io.ReadSeeker too).
func (s *Store) Open(hash string) (io.ReadCloser, error) {
	if !ValidHash(hash) {
		return nil, tongban.FieldError("hash", "文件标识格式错误")
	}
	sealed, err := os.ReadFile(s.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, tongban.Errorf(tongban.ENotFound, "文件不存在")
	}
	if err != nil {
		return nil, storageError(err)
	}
	plain, err := s.keys.open(sealed)
	if err != nil {
		return nil, tongban.Wrap(tongban.EInternal, err, "文件无法解密")
	}
	return readCloser{bytes.NewReader(plain)}, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// Exists reports whether a blob is stored.
func (s *Store) Exists(hash string) bool {
	if !ValidHash(hash) {
		return false
	}
	_, err := os.Stat(s.path(hash))
	return err == nil
}

// Delete removes a stored blob; one not stored is no error.
func (s *Store) Delete(hash string) error {
	if !ValidHash(hash) {
		return tongban.FieldError("hash", "文件标识格式错误")
	}
	if err := os.Remove(s.path(hash)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return storageError(err)
	}
	return nil
}

// sniff decides the media type from the content, never from the name the
// client gave: PDF, JPEG, PNG, or OFD (a zip package with OFD.xml at its root).
func sniff(content []byte) (string, error) {
	head := content[:min(len(content), 512)]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content))); err == nil {
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
