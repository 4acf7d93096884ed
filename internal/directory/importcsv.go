package directory

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// ImportRegions reads regions from CSV (columns code,name; parents first)
// and creates them in one transaction: every row is checked first, and a
// file with any bad row creates nothing.
func (s *Service) ImportRegions(ctx context.Context, r io.Reader, req identity.Request) (int, error) {
	rows, err := readCSV(r, "code", "name")
	if err != nil {
		return 0, err
	}
	regions := make([]*tongban.Region, 0, len(rows))
	var errs []error
	for _, row := range rows {
		reg := &tongban.Region{Code: row.get("code"), Name: row.get("name")}
		if err := reg.Validate(); err != nil {
			errs = append(errs, row.errorf(err))
			continue
		}
		regions = append(regions, reg)
	}
	if len(errs) > 0 {
		return 0, errors.Join(errs...)
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		txs := s.in(tx)
		for i, reg := range regions {
			if err := txs.CreateRegion(ctx, reg, req); err != nil {
				return rows[i].errorf(err)
			}
		}
		return nil
	})
	return len(regions), err
}

// ImportOrgs reads orgs from CSV (columns code,name,short_name,kind,
// region_code,parent_code,sector,phone,address,review_body,court,
// result_window; parents before children) and creates them in one
// transaction, all or nothing. A hall's result_window names the code of
// one of its windows, listed anywhere in the file.
func (s *Service) ImportOrgs(ctx context.Context, r io.Reader, req identity.Request) (int, error) {
	rows, err := readCSV(r, "code", "name", "kind", "region_code")
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		txs := s.in(tx)
		for _, row := range rows {
			o := &tongban.Org{Code: row.get("code"), Name: row.get("name"), ShortName: row.get("short_name"),
				Kind: tongban.OrgKind(row.get("kind")), RegionCode: row.get("region_code"), Sector: row.get("sector"),
				Phone: row.get("phone"), Address: row.get("address"), ReviewBody: row.get("review_body"), Court: row.get("court"),
				CreditCode: tongban.CreditCode(row.get("credit_code"))}
			if pc := row.get("parent_code"); pc != "" {
				parent, err := tx.OrgByCode(ctx, pc)
				if err != nil {
					return row.errorf(tongban.FieldError("parent_code", "上级机构 %s 不存在（须先于下级列出）", pc))
				}
				o.ParentID = parent.ID
			}
			if err := txs.CreateOrg(ctx, o, req); err != nil {
				return row.errorf(err)
			}
			n++
		}
		for _, row := range rows {
			if rw := row.get("result_window"); rw != "" {
				hall, _ := tx.OrgByCode(ctx, row.get("code"))
				w, err := tx.OrgByCode(ctx, rw)
				if err != nil {
					return row.errorf(tongban.FieldError("result_window", "出件窗口 %s 不存在", rw))
				}
				if err := txs.SetResultWindow(ctx, hall.ID, w.ID, req); err != nil {
					return row.errorf(err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

type csvRow struct {
	line   int
	fields map[string]string
}

func (r csvRow) get(col string) string { return strings.TrimSpace(r.fields[col]) }

// errorf prefixes err with the row number, keeping its code and field.
func (r csvRow) errorf(err error) error {
	e := tongban.AsError(err)
	return &tongban.Error{Code: e.Code, Field: e.Field, Err: e.Err,
		Message: fmt.Sprintf("第%d行 %s: %s", r.line, e.Field, e.Message)}
}

func readCSV(r io.Reader, required ...string) ([]csvRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, tongban.FieldError("file", "无法读取表头：%v", err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, col := range required {
		if _, ok := index[col]; !ok {
			return nil, tongban.FieldError(col, "缺少必需的列 %s", col)
		}
	}
	var rows []csvRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, tongban.FieldError("file", "第%d行 CSV 格式错误：%v", line, err)
		}
		row := csvRow{line: line, fields: map[string]string{}}
		for col, i := range index {
			if i < len(rec) {
				row.fields[col] = rec[i]
			}
		}
		rows = append(rows, row)
	}
}

// in returns the service bound to a transaction, so that its own
// transactions join it.
func (s *Service) in(tx tongban.Store) *Service {
	return &Service{Store: tx, Clock: s.Clock, Authz: identity.Authorizer{Orgs: tx}}
}
