package bench

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"text/template"

	"github.com/tongban/tongban/internal/sqldb"
)

// LoadBundleReference renders refsql/bundle_submit.sql and reads what its
// variables stand for from the server's database: the demo enterprise's
// latest application for the bundle (the fixture's first one) is the
// prototype its rows are copied from.
func LoadBundleReference(ctx context.Context, db *sqldb.DB, f *BundleFixture) (*Reference, error) {
	src, err := refFiles.ReadFile("refsql/bundle_submit.sql")
	if err != nil {
		return nil, err
	}
	tpl, err := template.New("bundle_submit.sql").Parse(string(src))
	if err != nil {
		return nil, err
	}
	data := map[string]string{"ListingColumns": listingColumns, "ItemColumns": itemColumns, "Postgres": postgresFlag(db)}
	eventIDTemplate(data)
	var b bytes.Buffer
	if err := tpl.Execute(&b, data); err != nil {
		return nil, err
	}
	s, err := ParseScript(b.String())
	if err != nil {
		return nil, fmt.Errorf("bundle_submit.sql: %w", err)
	}
	d := map[string]string{"bundle_id": strconv.FormatInt(f.BundleID, 10)}
	one := func(name, q string, args ...any) error {
		var v any
		if err := db.QueryRowContext(ctx, q, args...).Scan(&v); err != nil {
			return fmt.Errorf("bundle reference (%s): %w", name, err)
		}
		if bs, ok := v.([]byte); ok {
			v = string(bs)
		}
		d[name] = fmt.Sprint(v)
		return nil
	}
	steps := []struct{ name, q string }{
		{"proto_bundle", `SELECT MAX(id) FROM bundle_cases WHERE bundle_id = ` + d["bundle_id"]},
		{"user_id", `SELECT applicant_id FROM bundle_cases WHERE id = $1`},
		{"region", `SELECT region_code FROM bundle_cases WHERE id = $1`},
		{"proto_case", `SELECT case_id FROM bundle_subcases WHERE bundle_case_id = $1 AND case_id IS NOT NULL`},
	}
	for _, st := range steps {
		var args []any
		if st.name != "proto_bundle" {
			args = []any{d["proto_bundle"]}
		}
		if err := one(st.name, st.q, args...); err != nil {
			return nil, err
		}
	}
	for i := range 4 {
		if err := one(fmt.Sprintf("l%d", i), `SELECT listing_id FROM bundle_subcases WHERE bundle_case_id = $1 AND position = $2`,
			d["proto_bundle"], i); err != nil {
			return nil, err
		}
	}
	if err := one("item_id", `SELECT l.item_id FROM cases c JOIN listings l ON l.id = c.listing_id WHERE c.id = $1`, d["proto_case"]); err != nil {
		return nil, err
	}
	if err := one("proto_outbox", `SELECT MIN(o.id) FROM outbox o JOIN cases c ON o.subject = 'case:' || c.number WHERE c.id = $1`,
		d["proto_case"]); err != nil {
		return nil, err
	}
	return &Reference{Script: s, Defines: d, PerRun: 1}, nil
}
