package api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/httpx"
)

func (a *API) recordRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/me/data-uses", Tag: "exchange", Access: signedIn,
		Summary: "我的数据使用记录：谁、哪个部门、为哪件办件、以何事由读取了我的哪些数据（共享数据查询、材料库复用、用证、工作人员查看完整信息、接入系统获取），新的在前",
		Query:   []Param{{Name: "limit", Description: "条数，默认 100，最多 10000"}, {Name: "offset", Description: "跳过条数"}},
		Out:     []exchange.UseRow{}, handle: a.myDataUses})
	a.add(Route{Method: "GET", Path: "/api/v1/me/data-uses/export", Tag: "exchange", Access: signedIn,
		Summary: "导出我的数据使用记录（csv 或 xlsx）", Query: []Param{{Name: "format", Description: "csv | xlsx", Required: true}},
		Responses: []Response{{Status: http.StatusOK, Description: "记录表格", Produces: []string{exchange.ExportTypes["csv"], exchange.ExportTypes["xlsx"]}}},
		handle:    a.exportDataUses})
}

func (a *API) myDataUses(w http.ResponseWriter, r *http.Request) error {
	limit, offset := 100, 0
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > exchange.MaxRecordRows {
			return tongban.FieldError("limit", "条数应为 1 至 %d", exchange.MaxRecordRows)
		}
		limit = n
	}
	if v := r.URL.Query().Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return tongban.FieldError("offset", "跳过条数应为非负整数")
		}
		offset = n
	}
	uses, err := a.Exchange.Record.Uses(r.Context(), httpx.User(r.Context()), limit, offset)
	if err != nil {
		return err
	}
	if uses == nil {
		uses = []exchange.UseRow{}
	}
	return writeJSON(w, http.StatusOK, uses)
}

func (a *API) exportDataUses(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	mt, ok := exchange.ExportTypes[format]
	if !ok {
		return tongban.FieldError("format", "导出格式应为 csv 或 xlsx")
	}
	uses, err := a.Exchange.Record.Uses(r.Context(), httpx.User(r.Context()), exchange.MaxRecordRows, 0)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exchange.Export(&buf, format, uses); err != nil {
		return err
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Content-Disposition", `attachment; filename="data-uses.`+format+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(buf.Bytes())
	return err
}
