package license

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// Import limits and names.
const (
	MaxImportRows = 1000
	AuditImport   = "license_import"
	EventImported = "license.imported"
	// maxRowErrors bounds how many rows' errors one refusal lists.
	maxRowErrors = 20
)

// ImportRow is one licence the department issued before Tongban.
type ImportRow struct {
	TypeCode   string            `json:"type_code"`   // 证照类型代码
	Number     string            `json:"number"`      // 证照编号, as printed
	HolderName string            `json:"holder_name"` // 持证主体
	HolderCode string            `json:"holder_code"` // 公民身份号码 or 统一社会信用代码
	IssuedOn   string            `json:"issued_on"`   // YYYY-MM-DD
	ValidFrom  string            `json:"valid_from,omitempty"`
	ValidTo    string            `json:"valid_to,omitempty"` // YYYY-MM-DD; empty or 长期: open-ended
	Face       map[string]string `json:"face"`               // by printed name
	// HolderPhone is the holder's mobile number on the department's record,
	// if any: it is kept only when the holder has no Tongban account, so
	// that they can claim the record by registering online (as a walk-in).
	HolderPhone string `json:"holder_phone,omitempty"`
	// Line is the row's line in an uploaded CSV file (errors name it).
	Line int `json:"-"`
}

// ImportResult lists the licences an import created, in row order.
type ImportResult struct {
	Imported    int      `json:"imported"`
	Identifiers []string `json:"identifiers"`
}

// Import loads licences an org issued before Tongban. Every row is checked
// first — the type exists and the holder kind fits, the holder's code and
// its check character, a holder with a Tongban account is named as it is (one without gets a
// record, as a walk-in does), the
// dates, the number is not already taken (in the file or on record), the
// face items are the type's with the required ones present — and any error
// stores nothing: the refusal names every bad row (up to 20). Imported
// licences get the org's GB/T 36904 identifiers, are signed with its seal
// key and marked 历史导入.
func (s *Service) Import(ctx context.Context, r identity.Request, orgID int64, rows []ImportRow) (*ImportResult, error) {
	if r.Actor != nil {
		if err := s.authz().RequireOrg(ctx, r.Actor, identity.PermLicenseManage, orgID); err != nil {
			return nil, err
		}
	}
	switch {
	case len(rows) == 0:
		return nil, tongban.FieldError("rows", "请提供至少一条证照记录")
	case len(rows) > MaxImportRows:
		return nil, tongban.FieldError("rows", "每次最多导入 %d 条证照，请分批导入", MaxImportRows)
	}
	org, err := s.Store.Org(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if org.CreditCode == "" {
		return nil, tongban.FieldError("org_id", "机构「%s」未登记统一社会信用代码，不能导入电子证照", org.Name)
	}
	now := s.Clock.Now()
	var out *ImportResult
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		out = &ImportResult{}
		ls, err := checkRows(ctx, tx, importCtx{r: r, now: now}, org, rows)
		if err != nil {
			return err
		}
		for _, l := range ls {
			year := l.IssuedOn.Year()
			n, err := tx.NextLicenseSerial(ctx, org.ID, year)
			if err != nil {
				return err
			}
			l.Identifier = Identifier{TypeCode: l.TypeCode, IssuerCode: org.CreditCode, Serial: fmt.Sprintf("%04d%07d", year, n), Version: 1}.String()
			if err := SignAndStore(ctx, tx, l); err != nil {
				return err
			}
			if err := lifeEvent(ctx, tx, EventImported, l, now, nil); err != nil {
				return err
			}
			out.Identifiers = append(out.Identifiers, l.Identifier)
		}
		out.Imported = len(ls)
		return audit.Append(ctx, tx, auditEntry(r, now, AuditImport, "org:"+org.Code,
			fmt.Sprintf("%s 历史导入电子证照 %d 张", org.Name, len(ls))))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rowError is one bad row's first problem.
type rowError struct {
	field, msg string
}

// checkRows checks every row and builds its licence (without identifier);
// with any bad row it returns one error listing the rows.
func checkRows(ctx context.Context, tx tongban.Store, q importCtx, org *tongban.Org, rows []ImportRow) ([]*tongban.License, error) {
	var bad []rowError
	seen := map[string]string{}
	types := map[string]*tongban.LicenseType{}
	var out []*tongban.License
	for i, row := range rows {
		label := fmt.Sprintf("第%d条", i+1)
		if row.Line > 0 {
			label = fmt.Sprintf("第%d行", row.Line)
		}
		l, field, msg, err := checkRow(ctx, tx, q, org, row, types)
		if err != nil {
			return nil, err
		}
		if msg == "" {
			key := l.TypeCode + "\x00" + l.Number
			if first, dup := seen[key]; dup {
				field, msg = "number", fmt.Sprintf("证照编号 %s 与%s重复", l.Number, first)
			}
			seen[key] = label
		}
		if msg != "" {
			bad = append(bad, rowError{fmt.Sprintf("rows[%d].%s", i, field), label + "：" + msg})
			continue
		}
		out = append(out, l)
	}
	if len(bad) == 0 {
		return out, nil
	}
	msgs := make([]string, 0, maxRowErrors)
	for i, b := range bad {
		if i == maxRowErrors {
			msgs = append(msgs, fmt.Sprintf("另有%d条有误", len(bad)-maxRowErrors))
			break
		}
		msgs = append(msgs, b.msg)
	}
	return nil, &tongban.Error{Code: tongban.EInvalid, Field: bad[0].field,
		Message: fmt.Sprintf("%d条证照记录有误，全部未导入：%s", len(bad), strings.Join(msgs, "；"))}
}

// checkRow checks one row; a problem is returned as (field, message), a
// failure to look something up as err.
func checkRow(ctx context.Context, tx tongban.Store, q importCtx, org *tongban.Org, row ImportRow, types map[string]*tongban.LicenseType) (*tongban.License, string, string, error) {
	now := q.now
	code := strings.TrimSpace(row.TypeCode)
	typ, ok := types[code]
	if !ok {
		if err := ValidTypeCode(code); err != nil {
			return nil, "type_code", "证照类型代码 " + code + " 格式有误", nil
		}
		t, err := tx.LicenseType(ctx, code)
		if tongban.IsCode(err, tongban.ENotFound) {
			return nil, "type_code", "证照类型 " + code + " 不存在", nil
		} else if err != nil {
			return nil, "", "", err
		}
		typ, types[code] = t, t
	}
	number := strings.TrimSpace(row.Number)
	switch {
	case number == "":
		return nil, "number", "请填写证照编号", nil
	case utf8.RuneCountInString(number) > 60 || strings.ContainsFunc(number, isControl):
		return nil, "number", "证照编号过长或含有控制字符", nil
	}
	if taken, err := tx.LicenseNumberTaken(ctx, typ.Code, number); err != nil {
		return nil, "", "", err
	} else if taken {
		return nil, "number", fmt.Sprintf("「%s」编号 %s 已在证照库中", typ.Name, number), nil
	}
	l := &tongban.License{TypeCode: typ.Code, TypeName: typ.Name, Number: number, IssuerID: org.ID, IssuerName: org.Name,
		IssuerCode: org.CreditCode, RegionCode: org.RegionCode, Status: tongban.LicenseValid, Version: 1,
		Source: tongban.LicenseImported, HolderKind: typ.HolderKind, CreatedAt: now}
	holder, field, msg, err := importHolder(ctx, tx, q, typ, row)
	if msg != "" || err != nil {
		return nil, field, msg, err
	}
	l.HolderID, l.HolderName = holder.ID, holder.Name
	if typ.HolderKind == tongban.HolderOrg {
		l.HolderCode, l.HolderCodeMasked = string(holder.CreditCode), string(holder.CreditCode)
	} else {
		l.HolderCode, l.HolderCodeMasked = holder.IDNumber.Reveal(), holder.IDNumber.Masked()
	}
	if field, msg := importDates(l, row, now); msg != "" {
		return nil, field, msg, nil
	}
	face, field, msg := importFace(typ, row.Face)
	if msg != "" {
		return nil, field, msg, nil
	}
	l.Face = face
	return l, "", "", nil
}

// importHolder finds the holder's Tongban account by the row's code (its
// check character checked) and requires the row's name to be the account's;
// a holder without one gets a record as a walk-in does (holderRecord).
func importHolder(ctx context.Context, tx tongban.Store, q importCtx, typ *tongban.LicenseType, row ImportRow) (*tongban.User, string, string, error) {
	code, name := strings.ToUpper(strings.TrimSpace(row.HolderCode)), strings.TrimSpace(row.HolderName)
	if name == "" {
		return nil, "holder_name", "请填写持证主体名称", nil
	}
	var u *tongban.User
	var err error
	if typ.HolderKind == tongban.HolderOrg {
		cc, perr := tongban.ParseCreditCode(code)
		if perr != nil {
			return nil, "holder_code", "持证主体统一社会信用代码有误：" + tongban.AsError(perr).Message, nil
		}
		u, err = tx.UserByLogin(ctx, string(cc))
		if err == nil && u.CreditCode != cc {
			err = tongban.Errorf(tongban.ENotFound, "")
		}
	} else {
		id, perr := tongban.ParseIDNumber(code)
		if perr != nil {
			return nil, "holder_code", "持证人公民身份号码有误：" + tongban.AsError(perr).Message, nil
		}
		u, err = tx.UserByIDNumber(ctx, id)
	}
	if tongban.IsCode(err, tongban.ENotFound) {
		return holderRecord(ctx, tx, q, typ, row, code, name)
	} else if err != nil {
		return nil, "", "", err
	}
	if u.Name != name {
		return nil, "holder_name", "持证主体名称「" + name + "」与该证件号码登记的名称不一致", nil
	}
	return u, "", "", nil
}

// importDates sets issue date and validity: issued_on required and not in
// the future; valid_from defaults to it; valid_to, if any, not before
// valid_from.
func importDates(l *tongban.License, row ImportRow, now time.Time) (string, string) {
	day := func(s string) (time.Time, bool) {
		t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
		return t, err == nil
	}
	var ok bool
	if l.IssuedOn, ok = day(row.IssuedOn); !ok {
		return "issued_on", "发证日期应为 YYYY-MM-DD"
	}
	local := now.In(chinaTime)
	if l.IssuedOn.After(time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)) {
		return "issued_on", "发证日期不能晚于今天"
	}
	l.ValidFrom = l.IssuedOn
	if strings.TrimSpace(row.ValidFrom) != "" {
		if l.ValidFrom, ok = day(row.ValidFrom); !ok {
			return "valid_from", "有效期起始日应为 YYYY-MM-DD"
		}
	}
	if v := strings.TrimSpace(row.ValidTo); v != "" && v != "长期" {
		if l.ValidTo, ok = day(v); !ok {
			return "valid_to", "有效期至应为 YYYY-MM-DD 或「长期」"
		}
		if l.ValidTo.Before(l.ValidFrom) {
			return "valid_to", "有效期至早于有效期起始日"
		}
	}
	return "", ""
}

// importFace keeps the type's face items (by printed name), requiring the
// required ones; an item the type does not have is an error.
func importFace(typ *tongban.LicenseType, in map[string]string) (map[string]string, string, string) {
	byName := map[string]bool{}
	for _, f := range typ.Fields {
		byName[f.Name] = true
	}
	face := map[string]string{}
	for k, v := range in {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !byName[k] {
			return nil, "face." + k, fmt.Sprintf("「%s」没有照面项「%s」", typ.Name, k)
		}
		if strings.ContainsFunc(v, isControl) || utf8.RuneCountInString(v) > 500 {
			return nil, "face." + k, fmt.Sprintf("照面项「%s」过长或含有控制字符", k)
		}
		face[k] = v
	}
	for _, f := range typ.Fields {
		if f.Required && face[f.Name] == "" {
			return nil, "face." + f.Name, fmt.Sprintf("缺少「%s」的必填照面项「%s」", typ.Name, f.Name)
		}
	}
	return face, "", ""
}
