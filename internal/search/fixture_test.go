package search

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
)

// The fixture is the real catalog of 广安区 (1,135 items, 34 departments,
// region 511602000000) plus 40 hand-written listings of well-known items in
// other districts and at city level, with the aliases, materials and FAQ a
// real admin would enter.

const guanganCSV = "../../../shared/data/guangan-district-items.csv"

type guanganRow struct {
	Department, MainItem, ItemName, ItemType string
}

// readGuangan reads the CSV, skipping the test where the shared data is not
// checked out, except in CI where its absence is a failure.
func readGuangan(tb testing.TB) []guanganRow {
	tb.Helper()
	f, err := os.Open(guanganCSV)
	if err != nil {
		if os.Getenv("CI") != "true" {
			tb.Skipf("shared data not available: %v", err)
		}
		tb.Fatalf("shared data missing in CI: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var rows []guanganRow
	for _, r := range recs[1:] {
		rows = append(rows, guanganRow{Department: r[0], MainItem: r[1], ItemName: r[2], ItemType: r[4]})
	}
	if len(rows) != 1135 {
		tb.Fatalf("guangan CSV has %d rows, want 1135", len(rows))
	}
	return rows
}

// guanganDocs maps the CSV to docs: IDs are row numbers, the item (主项) is
// the main item where the portal groups sub-items, orgs are departments.
func guanganDocs(rows []guanganRow) []Doc {
	orgIDs := map[string]int64{}
	var docs []Doc
	for i, r := range rows {
		id, ok := orgIDs[r.Department]
		if !ok {
			id = int64(1001 + len(orgIDs))
			orgIDs[r.Department] = id
		}
		org := r.Department
		if !strings.HasPrefix(org, "广安区") {
			org = "广安" + org // 区人社局 → 广安区人社局
		}
		item := r.MainItem
		if item == "" {
			item = r.ItemName
		}
		channels := []string{"窗口办理"}
		if r.ItemType == "公共服务" {
			channels = append(channels, "全程网办")
		}
		docs = append(docs, Doc{
			ListingID:   int64(i + 1),
			ListingName: r.ItemName,
			ItemName:    item,
			OrgID:       id,
			OrgName:     org,
			RegionCode:  "511602000000",
			Themes:      deptFor(r.ItemName).themes,
			Audience:    audienceFor(r.ItemName),
			Channels:    channels,
		})
	}
	return docs
}

func extraDocs(tb testing.TB) []Doc {
	tb.Helper()
	data, err := os.ReadFile("testdata/extra_docs.json")
	if err != nil {
		tb.Fatal(err)
	}
	var docs []Doc
	if err := json.Unmarshal(data, &docs); err != nil {
		tb.Fatal(err)
	}
	return docs
}

var (
	fixtureOnce sync.Once
	fixtureDocs []Doc
)

// fixture returns a fresh index over the whole fixture. The docs are read
// once; each test gets its own index so that tests may modify it.
func fixture(tb testing.TB) *Index {
	tb.Helper()
	rows := readGuangan(tb)
	fixtureOnce.Do(func() {
		fixtureDocs = append(guanganDocs(rows), extraDocs(tb)...)
	})
	ix := New()
	ix.Upsert(fixtureDocs...)
	ix.Regroup() // as Syncer.Rebuild does
	return ix
}

// guanganNames are the item names of the real district's list, one per
// row, for the scaled catalogs.
func guanganNames(t testing.TB) []string {
	rows := readGuangan(t)
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.ItemName
	}
	return names
}
