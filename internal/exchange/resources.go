package exchange

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// Audit actions of the resource catalog and its providers.
const (
	AuditResource = "data_resource_save"
	AuditPush     = "data_push"
)

// MaxPushRecords bounds one push; a provider sends more in several.
const MaxPushRecords = 1000

// MaxFieldValue bounds one data item's value, in characters.
const MaxFieldValue = 1000

// SaveResource adds or changes an entry of the 政务信息资源目录. Catalog
// admins keep it; the standard materials it stands for must exist.
func (d *Data) SaveResource(ctx context.Context, r identity.Request, res tongban.DataResource) (*tongban.DataResource, error) {
	if r.Actor != nil { // without an actor it is the system (the demo loader, the command line)
		if err := (identity.Authorizer{Orgs: d.Store}).Require(r.Actor, identity.PermCatalogPublish); err != nil {
			return nil, err
		}
	}
	res.Code, res.Name = strings.ToUpper(strings.TrimSpace(res.Code)), strings.TrimSpace(res.Name)
	res.PullURL, res.UpdateCycle, res.LegalBasis = strings.TrimSpace(res.PullURL), strings.TrimSpace(res.UpdateCycle), strings.TrimSpace(res.LegalBasis)
	for i := range res.Fields {
		res.Fields[i].Key, res.Fields[i].Name = strings.TrimSpace(res.Fields[i].Key), strings.TrimSpace(res.Fields[i].Name)
	}
	if errs := res.Problems(); len(errs) > 0 {
		return nil, errs[0]
	}
	res.UpdatedBy, res.UpdatedAt = actorID(r), d.Clock.Now()
	err := d.Store.Transact(ctx, func(tx tongban.Store) error {
		org, err := tx.Org(ctx, res.OrgID)
		if tongban.IsCode(err, tongban.ENotFound) {
			return tongban.FieldError("org_id", "提供部门不存在")
		} else if err != nil {
			return err
		}
		res.OrgName = org.Name
		for i, code := range res.Standards {
			if _, err := tx.StandardMaterial(ctx, code); tongban.IsCode(err, tongban.ENotFound) {
				return tongban.FieldError(fmt.Sprintf("standards[%d]", i), "标准材料 %s 不存在", code)
			} else if err != nil {
				return err
			}
		}
		if err := tx.SaveDataResource(ctx, &res); err != nil {
			return err
		}
		return audit.Append(ctx, tx, auditEntry(r, res.UpdatedAt, AuditResource, "data_resource:"+res.Code, res.Name+" "+res.Share.Label()))
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// PushRecord is one record a provider sends: the subject (ID number or
// credit code), its data items by key, or Delete to remove the record.
type PushRecord struct {
	Subject string            `json:"subject"`
	Data    map[string]string `json:"data,omitempty"`
	Delete  bool              `json:"delete,omitempty"`
}

// PushResult is what a push changed.
type PushResult struct {
	Resource string `json:"resource"`
	Received int    `json:"received"`
	Created  int    `json:"created"`
	Updated  int    `json:"updated"`
	Deleted  int    `json:"deleted"`
}

// Push stores a provider's records of a resource: only staff of the
// resource's department holding the provide permission (its system's
// service account) may; every record is checked first and any error
// stores nothing (all or nothing), naming the record and item.
func (d *Data) Push(ctx context.Context, r identity.Request, code string, recs []PushRecord) (*PushResult, error) {
	res, err := d.Store.DataResource(ctx, strings.ToUpper(code))
	if err != nil {
		return nil, err
	}
	if r.Actor != nil { // without an actor it is the system (the demo loader)
		if err := (identity.Authorizer{Orgs: d.Store}).RequireOrg(ctx, r.Actor, identity.PermDataProvide, res.OrgID); err != nil {
			return nil, tongban.Errorf(tongban.EForbidden, "只有%s的接入系统可以提供「%s」的数据", res.OrgName, res.Name)
		}
	}
	switch {
	case res.Share == tongban.ShareNone:
		return nil, tongban.Errorf(tongban.EConflict, "「%s」为不予共享资源，平台不接收其数据", res.Name)
	case len(recs) == 0:
		return nil, tongban.FieldError("records", "请提供至少一条记录")
	case len(recs) > MaxPushRecords:
		return nil, tongban.FieldError("records", "每次最多提交 %d 条记录，请分批提交", MaxPushRecords)
	}
	now := d.Clock.Now()
	var put []*tongban.DataRecord
	var remove []string
	seen := map[string]int{}
	for i, rec := range recs {
		field := fmt.Sprintf("records[%d]", i)
		subject, err := parseSubject(res.Subject, rec.Subject)
		if err != nil {
			return nil, tongban.FieldError(field+".subject", "%s", tongban.AsError(err).Message)
		}
		if j, dup := seen[subject]; dup {
			return nil, tongban.FieldError(field+".subject", "与第%d条记录的主体重复", j+1)
		}
		seen[subject] = i
		if rec.Delete {
			remove = append(remove, subject)
			continue
		}
		data, err := checkData(res, rec.Data, field+".data")
		if err != nil {
			return nil, err
		}
		put = append(put, &tongban.DataRecord{Subject: subject, Data: data, Source: "push", UpdatedAt: now})
	}
	out := &PushResult{Resource: res.Code, Received: len(recs), Deleted: len(remove)}
	err = d.Store.Transact(ctx, func(tx tongban.Store) error {
		created, err := tx.PutDataRecords(ctx, res.ID, put, remove)
		if err != nil {
			return err
		}
		out.Created, out.Updated = created, len(put)-created
		return audit.Append(ctx, tx, auditEntry(r, now, AuditPush, "data_resource:"+res.Code,
			fmt.Sprintf("接收%d条：新增%d，更新%d，删除%d", len(recs), out.Created, out.Updated, out.Deleted)))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parseSubject checks a subject of the resource's kind and returns it in
// its canonical form.
func parseSubject(kind tongban.SubjectKind, s string) (string, error) {
	s = strings.TrimSpace(s)
	if kind == tongban.SubjectEnterprise {
		cc, err := tongban.ParseCreditCode(s)
		return string(cc), err
	}
	id, err := tongban.ParseIDNumber(s)
	return id.Reveal(), err
}

// checkData checks a record's items against the resource: known keys,
// required ones present, bounded printable text.
func checkData(res *tongban.DataResource, in map[string]string, field string) (map[string]string, error) {
	out := make(map[string]string, len(in))
	for k, v := range in {
		if _, ok := res.Field(k); !ok {
			return nil, tongban.FieldError(field+"."+k, "「%s」没有信息项 %s", res.Name, k)
		}
		v = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) > MaxFieldValue || strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
			return nil, tongban.FieldError(field+"."+k, "信息项 %s 的值过长或含有控制字符", k)
		}
		if v != "" {
			out[k] = v
		}
	}
	for _, f := range res.Fields {
		if f.Required && out[f.Key] == "" {
			return nil, tongban.FieldError(field+"."+f.Key, "缺少必填信息项「%s」(%s)", f.Name, f.Key)
		}
	}
	return out, nil
}
