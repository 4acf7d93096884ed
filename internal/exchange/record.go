package exchange

import (
	"context"
	"encoding/csv"
	"io"
	"maps"
	"strings"

	"github.com/tongban/tongban"
	"github.com/xuri/excelize/v2"
)

// ExportTypes are the media types of the data record's export, by format.
var ExportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// MaxRecordRows bounds one page of the data record and one export.
const MaxRecordRows = 10000

// UseRow is one entry of a person's data record (我的数据使用记录) as shown
// to them: what was read named in words.
type UseRow struct {
	*tongban.DataUse
	KindLabel string `json:"kind_label"`
	What      string `json:"what"` // the resource, standard material or licence, in words
	// FieldNames are Fields in words: the account's items a reveal or a
	// sign-in released are stored by key (id_number, phone).
	FieldNames []string `json:"field_names,omitempty"`
}

// OrgNote is the organisation to show under the user of the data, or ""
// when their name already says it (a window's staff are named "综合受理一号窗口
// 综合窗口受理"), so the page does not say the window twice.
func (u UseRow) OrgNote() string {
	if u.OrgName == "" || strings.Contains(u.ActorName, u.OrgName) {
		return ""
	}
	return u.OrgName
}

// accountItems names the account's items as a person knows them; the
// data-use record stores a reveal's and a sign-in's by these keys, and
// the account itself (a counter look-up) as "account".
var accountItems = map[string]string{"id_number": "居民身份证号", "phone": "手机号码", "name": "姓名",
	"legal_rep_id_number": "法定代表人身份证号", "account": "实名账号信息"}

// Record is the person's data record: every read of their data, newest
// first, with what was read named.
type Record struct {
	Store tongban.Store
}

// Uses lists the person's data uses, newest first.
func (r *Record) Uses(ctx context.Context, person *tongban.User, limit, offset int) ([]UseRow, error) {
	if person == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if limit <= 0 || limit > MaxRecordRows {
		limit = MaxRecordRows
	}
	uses, err := r.Store.DataUses(ctx, person.ID, limit, offset)
	if err != nil {
		return nil, err
	}
	names, err := r.names(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]UseRow, len(uses))
	for i, u := range uses {
		out[i] = UseRow{DataUse: u, KindLabel: u.Kind.Label(), What: describe(u.Resource, names), FieldNames: inWords(u.Fields)}
	}
	return out, nil
}

// names maps resource and standard material codes to their names.
func (r *Record) names(ctx context.Context) (map[string]string, error) {
	names := maps.Clone(accountItems)
	res, err := r.Store.DataResources(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range res {
		names[x.Code] = x.Name + "（" + x.OrgName + "）"
	}
	std, err := r.Store.StandardMaterials(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range std {
		names[s.Code] = "材料库「" + s.Name + "」"
	}
	return names, nil
}

// describe names each of a use's comma-separated resources; a licence
// identifier or an unknown code stays as it is. A sign-in's release
// ("oidc:" and the system's client ID) is named as such; the system itself
// is the use's actor.
func describe(resource string, names map[string]string) string {
	var out []string
	for _, part := range strings.Split(resource, ",") {
		if n, ok := names[part]; ok {
			out = append(out, n)
		} else if strings.HasPrefix(part, "oidc:") {
			out = append(out, "统一身份认证登录信息")
		} else if part != "" {
			out = append(out, part)
		}
	}
	return strings.Join(out, "、")
}

// inWords names each field that is an account item by its name; the
// others (a shared resource's items, a licence's type) are stored in words.
func inWords(fields []string) []string {
	if len(fields) == 0 {
		return nil
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		if n, ok := accountItems[f]; ok {
			f = n
		}
		out[i] = f
	}
	return out
}

// recordHeader is the export's header row.
var recordHeader = []string{"时间", "方式", "使用者", "部门", "使用的数据", "信息项", "办件编号", "事由"}

func recordRows(uses []UseRow) [][]string {
	rows := [][]string{recordHeader}
	for _, u := range uses {
		rows = append(rows, []string{u.At.In(cst()).Format("2006-01-02 15:04:05"), u.KindLabel, u.ActorName, u.OrgName,
			u.What, strings.Join(u.FieldNames, "、"), u.CaseNumber, u.Reason})
	}
	return rows
}

// Export writes the uses as CSV (UTF-8 with a BOM, so Excel reads it) or xlsx.
func Export(w io.Writer, format string, uses []UseRow) error {
	rows := recordRows(uses)
	switch format {
	case "csv":
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.WriteAll(rows)
		return cw.Error()
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		const sheet = "数据使用记录"
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return err
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
			}
			if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
				return err
			}
		}
		return f.Write(w)
	}
	return tongban.FieldError("format", "导出格式应为 csv 或 xlsx")
}
