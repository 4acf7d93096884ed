package license

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/tongban/tongban"
)

// importColumns are the CSV columns of an import by header (Chinese or
// the JSON name); every other column is a face item by its printed name.
var importColumns = map[string]string{
	"证照类型代码": "type_code", "type_code": "type_code",
	"证照编号": "number", "number": "number",
	"持证主体": "holder_name", "持证主体名称": "holder_name", "holder_name": "holder_name",
	"持证主体代码": "holder_code", "持证主体证件号码": "holder_code", "holder_code": "holder_code",
	"发证日期": "issued_on", "issued_on": "issued_on",
	"有效期起": "valid_from", "有效期起始日": "valid_from", "valid_from": "valid_from",
	"有效期至": "valid_to", "valid_to": "valid_to",
	"持证主体手机号": "holder_phone", "联系电话": "holder_phone", "holder_phone": "holder_phone",
}

// ParseImportCSV reads an import file: a header row, then one licence a
// row, UTF-8 (a BOM is ignored). Rows carry their line numbers, so errors
// name them. Empty face cells are left out (one file may hold several
// types).
func ParseImportCSV(r io.Reader) ([]ImportRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, tongban.FieldError("file", "导入文件不是有效的 CSV：%v", err)
	}
	if len(recs) < 2 {
		return nil, tongban.FieldError("file", "导入文件没有证照记录（第1行为表头）")
	}
	header := recs[0]
	cols := make([]string, len(header))
	have := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if k, ok := importColumns[h]; ok {
			cols[i], have[k] = k, true
		} else {
			cols[i] = "face:" + h
		}
	}
	for _, k := range []string{"type_code", "number", "holder_name", "holder_code", "issued_on"} {
		if !have[k] {
			return nil, tongban.FieldError("file", "导入文件缺少「%s」列", importHeaders[k])
		}
	}
	var rows []ImportRow
	for n, rec := range recs[1:] {
		if len(rec) != len(header) {
			return nil, tongban.FieldError("file", "第%d行应有%d列，实有%d列", n+2, len(header), len(rec))
		}
		row := ImportRow{Line: n + 2, Face: map[string]string{}}
		for i, v := range rec {
			switch c := cols[i]; c {
			case "type_code":
				row.TypeCode = v
			case "number":
				row.Number = v
			case "holder_name":
				row.HolderName = v
			case "holder_code":
				row.HolderCode = v
			case "issued_on":
				row.IssuedOn = v
			case "valid_from":
				row.ValidFrom = v
			case "valid_to":
				row.ValidTo = v
			case "holder_phone":
				row.HolderPhone = v
			default:
				if strings.TrimSpace(v) != "" {
					row.Face[strings.TrimPrefix(c, "face:")] = v
				}
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// importHeaders are the required columns' Chinese headers.
var importHeaders = map[string]string{"type_code": "证照类型代码", "number": "证照编号", "holder_name": "持证主体",
	"holder_code": "持证主体代码", "issued_on": "发证日期"}
