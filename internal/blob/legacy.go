package blob

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

var legacyName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// SealLegacy encrypts the plain files stored before migration 00018 (under
// sha256/, named by their content's SHA-256) and moves them under their
// keyed name; their "sha256:" identifiers stay valid. A file is removed
// only once its sealed copy is synced in place, so an interrupted run
// loses nothing and the next one carries on. It returns how many it moved.
func (s *Store) SealLegacy() (int, error) {
	dir := filepath.Join(s.root, "sha256")
	var dirs []string
	moved := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return fs.SkipAll // nothing was ever stored plain
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		if !legacyName.MatchString(d.Name()) {
			return nil
		}
		final := s.path("sha256:" + d.Name())
		if _, err := os.Stat(final); err != nil {
			plain, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := s.writeSealed(final, plain); err != nil {
				return err
			}
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		moved++
		return nil
	})
	// Empty directories go too, deepest first; one still holding a stray file stays.
	slices.Reverse(dirs)
	for _, d := range dirs {
		os.Remove(d)
	}
	return moved, err
}
