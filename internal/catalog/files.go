package catalog

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// FormatOf returns the file format a name's extension says, or "".
func FormatOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return FormatXLSX
	case ".csv":
		return FormatCSV
	}
	return ""
}

// ImportFile reads a catalog file and stores it through ImportBatch: the
// one path the CLI, the upload API and the demo loader share. progress, if
// not nil, hears about parsing every ProgressEvery rows.
func (s *Service) ImportFile(ctx context.Context, r identity.Request, rd io.Reader, format string, opt ImportOptions,
	progress func(done, total int)) (*ImportResult, error) {
	b, err := Import(rd, format, progress)
	if err != nil {
		return nil, err
	}
	return s.ImportBatch(ctx, r, b, opt)
}

// ExportFile writes every listing of the region (all if "") that the actor
// may edit, in any status but withdrawn, in the import layout.
func (s *Service) ExportFile(ctx context.Context, r identity.Request, w io.Writer, format, region string) (int, error) {
	scope, err := s.editScope(ctx, r)
	if err != nil {
		return 0, err
	}
	items := itemCache{st: s.Store, m: map[int64]*tongban.Item{}}
	var ls []tongban.Listing
	var its []tongban.Item
	err = eachListing(ctx, s.Store, tongban.ListingFilter{Region: region}, func(l *tongban.Listing) error {
		if l.Status == tongban.ListingWithdrawn || !scope(l.OrgID) {
			return nil
		}
		if _, seen := items.m[l.ItemID]; !seen {
			it, err := items.get(ctx, l.ItemID)
			if err != nil {
				return err
			}
			its = append(its, *it)
		}
		ls = append(ls, *l)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ls), Export(w, format, its, ls)
}
