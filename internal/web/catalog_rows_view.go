package web

import (
	"context"
	"slices"
	"strconv"

	"github.com/tongban/tongban"
)

// rowsView is one table as the edit page shows it.
type rowsView struct {
	rowTable
	Lang  Lang
	Main  []rowColumn // the columns on the row's first line
	Rows  []rowView
	Error string // about the whole table
	Full  bool   // as many rows as allowed
}

type rowView struct {
	Index, N    int
	First, Last bool
	Place       string // 申请材料第3行
	Cells, Long []cellView
}

type cellView struct {
	rowColumn
	Name, Value, Error string
}

// Table is the view of one row-edited part of the page's form.
func (p *catalogEditPage) Table(key string) rowsView {
	t, _ := rowTableByKey(key)
	v := rowsView{rowTable: t, Lang: p.Lang, Error: p.Form.Errors[key]}
	for _, c := range t.Columns {
		if c.Kind != "long" {
			v.Main = append(v.Main, c)
		}
	}
	rows := p.Rows[key]
	v.Full = t.Max > 0 && len(rows) >= t.Max
	for i, r := range rows {
		rv := rowView{Index: i, N: i + 1, First: i == 0, Last: i == len(rows)-1, Place: rowPlace(key, i)}
		for _, c := range t.Columns {
			if key == "materials" && c.Key == "standard" {
				c.Options = p.Standards
			}
			cell := cellView{rowColumn: c, Name: rowName(key, i, c.Key), Value: r[c.Key]}
			if c.Kind == "info" && c.Key == "license_type" {
				cell.Value = p.StandardLicense[r["standard"]]
			}
			if c.Kind == "select" && !hasOption(c.Options, cell.Value) {
				// A value the choices lack (typed in a file) stays as it is.
				cell.Options = append(slices.Clone(c.Options), rowOption{cell.Value, cell.Value})
			}
			cell.Error = p.Form.Errors[cell.Name]
			if c.Kind == "long" {
				rv.Long = append(rv.Long, cell)
			} else {
				rv.Cells = append(rv.Cells, cell)
			}
		}
		v.Rows = append(v.Rows, rv)
	}
	return v
}

// loadStandardOptions fills the standard-material choices: every material
// of the maintained list still in use, and those the listing already names
// even if retired, with the e-licence type each stands for.
func (p *catalogEditPage) loadStandardOptions(ctx context.Context, st tongban.Store) error {
	list, err := st.StandardMaterials(ctx)
	if err != nil {
		return err
	}
	named := map[string]bool{}
	for _, r := range p.Rows["materials"] {
		named[r["standard"]] = true
	}
	types := map[string]string{}
	if ts, err := st.LicenseTypes(ctx); err == nil {
		for _, t := range ts {
			types[t.Code] = t.Name
		}
	}
	p.Standards = []rowOption{{"", "无对应标准材料"}}
	p.StandardLicense = map[string]string{}
	for _, m := range list {
		if m.Retired && !named[m.Code] {
			continue
		}
		label := m.Code + " " + m.Name
		if m.Retired {
			label += "（已停用）"
		}
		p.Standards = append(p.Standards, rowOption{m.Code, label})
		if m.LicenseType != "" {
			name := types[m.LicenseType]
			if name == "" {
				name = m.LicenseType
			}
			p.StandardLicense[m.Code] = name
		}
	}
	return nil
}

func hasOption(opts []rowOption, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// Op is the value of a button acting on this row: materials[2].up.
func (r rowView) Op(table, op string) string { return table + "[" + strconv.Itoa(r.Index) + "]." + op }

// cellContext is what the cell template needs: the page's language and
// the row's place for the field's accessible name.
type cellContext struct {
	Lang  Lang
	Place string
	Cell  cellView
}

func init() {
	funcs["rowCell"] = func(l Lang, place string, c cellView) cellContext { return cellContext{l, place, c} }
}
