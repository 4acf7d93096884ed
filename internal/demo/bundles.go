package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/tongban/tongban/internal/bundle"
	"github.com/tongban/tongban/internal/catalog"
	"github.com/tongban/tongban/internal/identity"
)

// bundleOrgsCSV are the departments only the bundles need (城管, 消防).
//
//go:embed bundle_orgs.csv
var bundleOrgsCSV []byte

// bundleCatalogCSV are the listings only the bundles need, in the import
// layout of docs/catalog-columns.md.
//
//go:embed bundle_catalog.csv
var bundleCatalogCSV []byte

// bundlesJSON are the 一件事 of the national lists, in the file layout
// `tongban bundle import` reads (docs/bundles.md).
//
//go:embed bundles.json
var bundlesJSON []byte

// BundleCodes are the demo bundles' codes.
var BundleCodes = []string{"YJS-XSECS", "YJS-KBCYD", "YJS-TX", "YJS-QYXXBG", "YJS-SH"}

// loadBundles loads the departments and listings the bundles need, then
// the bundles themselves, through the importers an admin uses, published
// through the quality check.
func (l *Loader) loadBundles(ctx context.Context) error {
	sys := identity.Request{IP: "demo"}
	if _, err := l.Directory.ImportOrgs(ctx, bytes.NewReader(bundleOrgsCSV), sys); err != nil {
		return fmt.Errorf("bundle orgs: %w", err)
	}
	res, err := l.Catalog.ImportFile(ctx, sys, bytes.NewReader(bundleCatalogCSV), catalog.FormatCSV,
		catalog.ImportOptions{Publish: true, Reason: "演示一件事所需事项"}, nil)
	if err != nil {
		return fmt.Errorf("bundle listings: %w", err)
	}
	if res.Drafts > 0 {
		return fmt.Errorf("bundle listings: %d left drafts: %v", res.Drafts, res.Warnings)
	}
	n, err := bundle.New(l.Store, nil, l.Catalog.Clock).Import(ctx, sys, bundlesJSON, true)
	if err != nil {
		return fmt.Errorf("bundles: %w", err)
	}
	l.Log.Info("demo bundles loaded", "bundles", n)
	return nil
}
