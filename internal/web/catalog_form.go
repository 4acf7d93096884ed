package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
)

// The edit form speaks the import layout (docs/catalog-columns.md): each
// field is one column, and the nested parts — conditions, steps, fees,
// materials, situations, FAQ — are textareas in that column's line syntax.
// Values are written by the catalog's exporter and read back by its
// importer, so the form, the files and the CLI can never disagree on the
// syntax, and a bad line is reported the way an import reports it.

// catalogFormColumns are the listing's editable columns, in form order. The
// listing's identity (item, org, region, code) and status are not edited
// here.
var catalogFormColumns = []string{
	"listing_name", "case_type", "promised_days", "conditions", "steps", "fees",
	"place", "hours", "phone", "complaint_phone", "trips", "online_depth",
	"most_one_trip", "tolerant_acceptance", "commitment", "cross_region", "express", "appointment",
	"result_name", "result_type", "result_license_type", "materials", "situations", "faq",
}

// catalogFlagColumns are the checkboxes among them.
var catalogFlagColumns = map[string]bool{"most_one_trip": true, "tolerant_acceptance": true, "commitment": true,
	"cross_region": true, "express": true, "appointment": true}

// listingCells renders a listing as the form's values, keyed by column.
func listingCells(it tongban.Item, l tongban.Listing) (map[string]string, error) {
	var buf bytes.Buffer
	if err := catalog.Export(&buf, catalog.FormatCSV, []tongban.Item{it}, []tongban.Listing{l}); err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, tongban.Wrap(tongban.EInternal, err, "无法展开清单")
	}
	cells := map[string]string{}
	for i, h := range rows[0] {
		if c, ok := catalog.ColumnForHeader(h); ok && i < len(rows[1]) {
			cells[c.Key] = rows[1][i]
		}
	}
	return cells, nil
}

// parseListingForm reads the form's values into a copy of cur through the
// importer; errs holds a message per column (form field) at fault.
func parseListingForm(it tongban.Item, cur tongban.Listing, values map[string]string) (tongban.Listing, map[string]string, error) {
	header := []string{catalogColumnHeader("item_name"), catalogColumnHeader("implementation_code"),
		catalogColumnHeader("department"), catalogColumnHeader("region_code")}
	row := []string{it.Name, cur.Code, cur.OrgName, cur.RegionCode}
	for _, key := range catalogFormColumns {
		header = append(header, catalogColumnHeader(key))
		row = append(row, values[key])
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(header)
	cw.Write(row)
	cw.Flush()
	b, err := catalog.Import(&buf, catalog.FormatCSV, nil)
	if err != nil {
		var rows catalog.RowErrors
		if !errors.As(err, &rows) {
			return cur, nil, err
		}
		errs := map[string]string{}
		for _, e := range rows {
			key := e.Column
			if key == "item_name" || key == "" {
				key = "listing_name"
			}
			if errs[key] != "" {
				errs[key] += "；"
			}
			errs[key] += e.Message
		}
		return cur, errs, nil
	}
	in := b.Listings[0]
	l := cur.Clone()
	l.Name, l.CaseType, l.PromisedDays, l.Conditions, l.Steps, l.Fees = in.Name, in.CaseType, in.PromisedDays, in.Conditions, in.Steps, in.Fees
	l.Place, l.Hours, l.Phone, l.ComplaintPhone, l.Trips, l.OnlineDepth = in.Place, in.Hours, in.Phone, in.ComplaintPhone, in.Trips, in.OnlineDepth
	l.Flags, l.Result.Name, l.Result.Type = in.Flags, in.Result.Name, in.Result.Type
	l.Result.LicenseType = in.Result.LicenseType
	l.Materials, l.Situations, l.FAQ = in.Materials, in.Situations, in.FAQ
	return l, nil, nil
}

func catalogColumnHeader(key string) string {
	for _, c := range catalog.Columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

// catalogFormValues reads the posted form: text as typed, checkboxes as 是/否.
func catalogFormValues(get func(string) string) map[string]string {
	values := map[string]string{}
	for _, key := range catalogFormColumns {
		v := strings.ReplaceAll(get(key), "\r\n", "\n")
		if catalogFlagColumns[key] {
			if v != "" {
				v = "是"
			} else {
				v = "否"
			}
		}
		values[key] = v
	}
	return values
}
