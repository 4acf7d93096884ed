package catalog

import (
	"fmt"
	"io"
	"strings"

	"github.com/tongban/tongban"
)

// ProgressEvery is how many rows Import parses between progress reports.
const ProgressEvery = 100

// RowError is one problem of an imported file, by spreadsheet row (the
// header is row 1) and column key.
type RowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"` // column key, e.g. promised_days; "" for the whole row
	Message string `json:"message"`
}

func (e RowError) Error() string {
	if c, ok := columnByKey[e.Column]; ok {
		return fmt.Sprintf("第%d行 %s: %s", e.Row, c.Label(), e.Message)
	}
	return fmt.Sprintf("第%d行: %s", e.Row, e.Message)
}

// RowErrors is every problem found in a file. Import returns it wrapped in
// an EInvalid *tongban.Error; get it back with errors.As.
type RowErrors []RowError

func (es RowErrors) Error() string {
	const shown = 5
	var parts []string
	for i, e := range es {
		if i == shown {
			parts = append(parts, fmt.Sprintf("等共%d处错误", len(es)))
			break
		}
		parts = append(parts, e.Error())
	}
	return strings.Join(parts, "；")
}

func rowErrors(es ...RowError) error {
	return &tongban.Error{Code: tongban.EInvalid, Message: fmt.Sprintf("导入文件有%d处错误，未导入任何数据", len(es)), Err: RowErrors(es)}
}

// Batch is everything a file holds, ready to store. Listings carry ItemCode
// and OrgName instead of IDs, which the store resolves (org names are matched
// to orgs there). Rows[i] is the spreadsheet row of Listings[i].
type Batch struct {
	Items    []tongban.Item    `json:"items"`
	Listings []tongban.Listing `json:"listings"`
	Rows     []int             `json:"rows"`
	Warnings []RowError        `json:"warnings,omitempty"`
	// Columns are the keys of the columns the file has: updating a stored
	// listing from a partial file changes only those.
	Columns []string `json:"columns,omitempty"`
}

// Import reads a catalog file in the layout of docs/catalog-columns.md.
// It checks every row and returns all problems at once; when there is any,
// the batch is empty, so a caller never stores half a file. progress, if not
// nil, is told every ProgressEvery rows and at the end.
func Import(r io.Reader, format string, progress func(done, total int)) (Batch, error) {
	rows, err := readTable(r, format)
	if err != nil {
		return Batch{}, err
	}
	head := 0
	for head < len(rows) && blankRow(rows[head]) {
		head++
	}
	if head == len(rows) {
		return Batch{}, rowErrors(RowError{Row: 1, Message: "文件为空，缺少表头"})
	}
	cols, errs := mapHeader(rows[head], head+1)
	if len(errs) > 0 {
		return Batch{}, rowErrors(errs...)
	}

	im := &importer{cols: cols, items: map[string]int{}, codes: map[string]int{}}
	for _, c := range Columns {
		if _, ok := cols[c.Key]; ok {
			im.batch.Columns = append(im.batch.Columns, c.Key)
		}
	}
	total := len(rows) - head - 1
	for i := head + 1; i < len(rows); i++ {
		if !blankRow(rows[i]) {
			im.row(i+1, rows[i])
		}
		if done := i - head; progress != nil && (done%ProgressEvery == 0 || done == total) {
			progress(done, total)
		}
	}
	if len(im.batch.Listings) == 0 && len(im.errs) == 0 {
		im.errs = append(im.errs, RowError{Row: head + 1, Message: "文件中没有事项数据"})
	}
	if len(im.errs) > 0 {
		return Batch{}, rowErrors(im.errs...)
	}
	im.demoteUnfit()
	return im.batch, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// mapHeader finds each known column's index; unknown headers are ignored.
func mapHeader(header []string, rowNum int) (map[string]int, []RowError) {
	cols := map[string]int{}
	var errs []RowError
	for i, h := range header {
		c, ok := ColumnForHeader(h)
		if !ok {
			continue
		}
		if j, dup := cols[c.Key]; dup {
			errs = append(errs, RowError{Row: rowNum, Column: c.Key, Message: fmt.Sprintf("第%d列与第%d列是同一列", i+1, j+1)})
			continue
		}
		cols[c.Key] = i
	}
	for _, c := range Columns {
		if _, ok := cols[c.Key]; c.Required && !ok {
			errs = append(errs, RowError{Row: rowNum, Column: c.Key, Message: "缺少必需的列"})
		}
	}
	return cols, errs
}

type importer struct {
	cols  map[string]int
	batch Batch
	items map[string]int // item code → index in batch.Items
	first []int          // first row of each item, parallel to batch.Items
	codes map[string]int // implementation code → row
	errs  []RowError
}

// row parses one listing row, collecting its errors.
func (im *importer) row(num int, cells []string) {
	p := &rowParser{num: num, cells: cells, cols: im.cols}
	if p.badText() {
		im.errs = append(im.errs, p.errs...)
		return
	}
	item, l := p.parse()
	if l.Code != "" {
		if prev, dup := im.codes[l.Code]; dup {
			p.fail(colCode, "实施编码与第%d行重复", prev)
		} else {
			im.codes[l.Code] = num
		}
	}
	// The domain's own checks back up the cell parsers; a column the parser
	// already faulted is not reported twice.
	faulted := map[string]bool{}
	for _, e := range p.errs {
		faulted[e.Column] = true
	}
	domain := func(col string, e *tongban.Error) {
		if col == colListingName && p.cell(colListingName) == "" {
			col = colItemName // the listing took the item's name
		}
		if !faulted[col] {
			p.fail(col, "%s", fieldMessage(e))
		}
	}
	for _, e := range item.Problems() {
		domain(itemFieldColumn(e.Field), e)
	}
	for _, e := range l.Problems() {
		domain(listingFieldColumn(e.Field), e)
	}
	if len(p.errs) > 0 {
		im.errs = append(im.errs, p.errs...)
		return
	}
	if idx, ok := im.items[item.Code]; ok {
		im.mergeItem(idx, item, num)
	} else {
		im.items[item.Code] = len(im.batch.Items)
		im.batch.Items = append(im.batch.Items, item)
		im.first = append(im.first, num)
	}
	im.batch.Listings = append(im.batch.Listings, l)
	im.batch.Rows = append(im.batch.Rows, num)
}

// mergeItem fills what the first row of an item left empty and warns where
// a later row disagrees: the first row wins.
func (im *importer) mergeItem(idx int, it tongban.Item, num int) {
	dst := &im.batch.Items[idx]
	have, got := itemCells(*dst), itemCells(it)
	for _, c := range Columns {
		h, g := have[c.Key], got[c.Key]
		if h != "" && g != "" && h != g {
			im.batch.Warnings = append(im.batch.Warnings, RowError{Row: num, Column: c.Key,
				Message: fmt.Sprintf("与第%d行同一事项（%s）的值不一致，采用第%d行的值", im.first[idx], dst.Code, im.first[idx])})
		}
	}
	dst.FillEmpty(&it)
}

// demoteUnfit keeps a row marked 已发布 out of publication when it fails the
// quality check: importing must not bypass the gate publishing goes through.
func (im *importer) demoteUnfit() {
	for i := range im.batch.Listings {
		l := &im.batch.Listings[i]
		if l.Status != tongban.ListingPublished {
			continue
		}
		item := im.batch.Items[im.items[l.ItemCode]]
		if rep := Check(item, *l); !rep.Publishable() {
			l.Status = tongban.ListingDraft
			im.batch.Warnings = append(im.batch.Warnings, RowError{Row: im.batch.Rows[i], Column: colStatus,
				Message: fmt.Sprintf("未通过质量检查（%d项错误），已作为草稿导入", rep.Errors())})
		}
	}
}

// fieldMessage adds the nested path to a domain error, which tells the admin
// which line of a multi-line cell is meant.
func fieldMessage(e *tongban.Error) string {
	if strings.ContainsAny(e.Field, "[.") {
		return e.Message + "（" + e.Field + "）"
	}
	return e.Message
}

func listingFieldColumn(field string) string {
	head, _, _ := strings.Cut(field, ".")
	head, _, _ = strings.Cut(head, "[")
	switch head {
	case "name":
		return colListingName
	case "org_name", "org_id":
		return colOrg
	case "result":
		if field == "result.license_type" {
			return colResultLicense
		}
		return colResultType
	case "code":
		return colCode
	}
	if _, ok := columnByKey[head]; ok {
		return head
	}
	return ""
}

func itemFieldColumn(field string) string {
	head, _, _ := strings.Cut(field, "[")
	switch head {
	case "code":
		return colItemCode
	case "name":
		return colItemName
	case "type":
		return colItemType
	case "levels":
		return colLevels
	}
	if _, ok := columnByKey[head]; ok {
		return head
	}
	return ""
}
