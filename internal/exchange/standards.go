package exchange

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// AuditStandard is the audit action of a standard material saved.
const AuditStandard = "standard_material_save"

// Standards keeps the list of standard materials (标准材料). Catalog admins
// with the publishing permission maintain it, since every listing of the
// city points into it.
type Standards struct {
	Store tongban.Store
	Clock tongban.Clock
	// Cache, if set, forgets a standard material once it is saved.
	Cache *StandardCache
}

// List returns every standard material, by code.
func (s *Standards) List(ctx context.Context) ([]*tongban.StandardMaterial, error) {
	return s.Store.StandardMaterials(ctx)
}

// Save adds a standard material or changes one; the code is its identity
// and never changes.
func (s *Standards) Save(ctx context.Context, r identity.Request, m tongban.StandardMaterial) (*tongban.StandardMaterial, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	if err := (identity.Authorizer{Orgs: s.Store}).Require(r.Actor, identity.PermCatalogPublish); err != nil {
		return nil, err
	}
	m = normalizeStandard(m)
	if errs := m.Problems(); len(errs) > 0 {
		return nil, errs[0]
	}
	m.UpdatedBy, m.UpdatedAt = r.Actor.ID, s.Clock.Now()
	err := s.Store.Transact(ctx, func(tx tongban.Store) error {
		detail := "新增"
		if _, err := tx.StandardMaterial(ctx, m.Code); err == nil {
			detail = "修改"
		} else if !tongban.IsCode(err, tongban.ENotFound) {
			return err
		}
		if err := tx.SaveStandardMaterial(ctx, &m); err != nil {
			return err
		}
		return audit.Append(ctx, tx, &tongban.AuditEntry{At: m.UpdatedAt, ActorID: r.Actor.ID, Actor: actorLabel(r.Actor),
			Action: AuditStandard, Object: "standard_material:" + m.Code, Detail: detail + " " + m.Name, IP: r.IP})
	})
	s.Cache.Forget(m.Code) // after the commit (or the failure), so no read of the old row is kept
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func normalizeStandard(m tongban.StandardMaterial) tongban.StandardMaterial {
	m.Code = strings.ToUpper(strings.TrimSpace(m.Code))
	m.Name, m.Category, m.Issuer = strings.TrimSpace(m.Name), strings.TrimSpace(m.Category), strings.TrimSpace(m.Issuer)
	m.LicenseType, m.Note = strings.TrimSpace(m.LicenseType), strings.TrimSpace(m.Note)
	var aliases []string
	seen := map[string]bool{m.Name: true}
	for _, a := range m.Aliases {
		if a = strings.TrimSpace(a); a != "" && !seen[a] {
			seen[a] = true
			aliases = append(aliases, a)
		}
	}
	m.Aliases = aliases
	return m
}

func actorLabel(u *tongban.User) string {
	if u.Username != "" {
		return u.Name + "(" + u.Username + ")"
	}
	return u.Name
}

// auditEntry is an audit entry of r's actor, or of the system without one.
func auditEntry(r identity.Request, at time.Time, action, object, detail string) *tongban.AuditEntry {
	e := &tongban.AuditEntry{At: at, Actor: "系统", Action: action, Object: object, Detail: detail, IP: r.IP}
	if r.Actor != nil {
		e.ActorID, e.Actor = r.Actor.ID, actorLabel(r.Actor)
	}
	return e
}

func actorID(r identity.Request) int64 {
	if r.Actor == nil {
		return 0
	}
	return r.Actor.ID
}

// standardsCSV is the list a new deployment starts from: common papers of
// Chinese government services, grouped by category.
//
//go:embed standard_materials.csv
var standardsCSV string

// SeedStandards stores the built-in list when none is stored yet and
// reports whether it did.
func SeedStandards(ctx context.Context, st tongban.Store, clock tongban.Clock) (bool, error) {
	have, err := st.StandardMaterials(ctx)
	if err != nil || len(have) > 0 {
		return false, err
	}
	list, err := ParseStandardsCSV(strings.NewReader(standardsCSV))
	if err != nil {
		return false, fmt.Errorf("embedded standard_materials.csv: %w", err)
	}
	now := clock.Now()
	return true, st.Transact(ctx, func(tx tongban.Store) error {
		for _, m := range list {
			m.UpdatedAt = now
			if err := tx.SaveStandardMaterial(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
}

// ParseStandardsCSV reads code,name,category,issuer,aliases,reusable,
// valid_months,note and optionally license_type (aliases separated by 、);
// every row is checked.
func ParseStandardsCSV(r io.Reader) ([]*tongban.StandardMaterial, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, tongban.Wrap(tongban.EInvalid, err, "标准材料文件不是有效的 CSV")
	}
	var out []*tongban.StandardMaterial
	for i, row := range rows {
		if i == 0 {
			continue
		}
		if len(row) != 8 && len(row) != 9 {
			return nil, tongban.Errorf(tongban.EInvalid, "第%d行应有8列（或加上 license_type 共9列）", i+1)
		}
		months, err := strconv.Atoi(row[6])
		if err != nil {
			return nil, tongban.Errorf(tongban.EInvalid, "第%d行 复用有效期应为整数", i+1)
		}
		m := normalizeStandard(tongban.StandardMaterial{Code: row[0], Name: row[1], Category: row[2], Issuer: row[3],
			Aliases: strings.Split(row[4], "、"), Reusable: row[5] == "是", ValidMonths: months, Note: row[7]})
		if len(row) == 9 {
			// The e-licence type that stands for it: a claim of 电子证照
			// for the material resolves to the applicant's licence of it.
			m.LicenseType = strings.TrimSpace(row[8])
		}
		if errs := m.Problems(); len(errs) > 0 {
			return nil, tongban.Errorf(tongban.EInvalid, "第%d行 %s", i+1, errs[0].Message)
		}
		out = append(out, &m)
	}
	return out, nil
}
