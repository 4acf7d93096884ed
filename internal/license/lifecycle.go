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
	"github.com/tongban/tongban/internal/outbox"
)

// Outbox events and audit actions of a licence's life.
const (
	EventChanged = "license.changed"
	EventRevoked = "license.revoked"

	AuditChange = "license_change"
	AuditRevoke = "license_revoke"
)

// MaxReason bounds a stated reason, in characters.
const MaxReason = 200

// Service is a licence's life outside a case: the issuing department
// changes (a new version) or revokes (注销) its licences, rotates its seal
// key and loads the licences it issued before Tongban. Each is an audited
// action; the same steps taken by a case are the case's events instead.
type Service struct {
	Store tongban.Store
	Clock tongban.Clock
}

func (s *Service) authz() identity.Authorizer { return identity.Authorizer{Orgs: s.Store} }

// managed is the licence by identifier, if r's actor manages its issuer's
// licences. Someone else learns that it is not theirs to manage, not more.
func (s *Service) managed(ctx context.Context, tx tongban.Store, r identity.Request, identifier string) (*tongban.License, error) {
	id, err := ParseIdentifier(identifier)
	if err != nil {
		return nil, err
	}
	l, err := tx.LicenseByIdentifier(ctx, id.String())
	if err != nil {
		return nil, err
	}
	if r.Actor == nil { // the system itself (the demo loader, the command line)
		return l, nil
	}
	// Through tx: the root store's connection is not to be waited for
	// while tx holds one.
	if err := (identity.Authorizer{Orgs: tx}).RequireOrg(ctx, r.Actor, identity.PermLicenseManage, l.IssuerID); err != nil {
		return nil, tongban.Errorf(tongban.EForbidden, "只有发证机构「%s」可以变更或注销该证照", l.IssuerName)
	}
	return l, nil
}

// reason checks a stated reason: required, one line, bounded.
func reason(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", tongban.FieldError(field, "请填写原因")
	case utf8.RuneCountInString(s) > MaxReason || strings.ContainsFunc(s, isControl):
		return "", tongban.FieldError(field, "原因不能超过%d字，且不能换行", MaxReason)
	}
	return s, nil
}

// Revoke 注销s a valid licence with a reason: its status becomes 已注销,
// which every verification then says; the licence stays on record.
func (s *Service) Revoke(ctx context.Context, r identity.Request, identifier, why string) (*tongban.License, error) {
	why, err := reason("reason", why)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var out *tongban.License
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		l, err := s.managed(ctx, tx, r, identifier)
		if err != nil {
			return err
		}
		if l.Status != tongban.LicenseValid {
			return tongban.Errorf(tongban.EConflict, "该证照%s，不能注销", l.Status.Label())
		}
		if err := tx.SetLicenseStatus(ctx, l.ID, tongban.LicenseRevoked, why, now); err != nil {
			return err
		}
		l.Status, l.StatusReason, l.StatusAt = tongban.LicenseRevoked, why, now
		if err := lifeEvent(ctx, tx, EventRevoked, l, now, map[string]any{"reason": why}); err != nil {
			return err
		}
		out = l
		return audit.Append(ctx, tx, auditEntry(r, now, AuditRevoke, "license:"+l.Identifier, l.TypeName+" "+l.Number+" 注销："+why))
	})
	return out, err
}

// Change is a change of a licence outside a case: face items to replace
// (by printed name), a new end of validity ("" keeps it, "长期" makes it
// open-ended), and the reason.
type Change struct {
	Face    map[string]string `json:"face,omitempty"`
	ValidTo string            `json:"valid_to,omitempty"` // YYYY-MM-DD or 长期
	Reason  string            `json:"reason"`
}

// Change makes the next version of a valid licence with the changes applied
// — same number and serial, version + 1, signed with the issuer's current
// seal key — and marks the old one 已变更.
func (s *Service) Change(ctx context.Context, r identity.Request, identifier string, in Change) (*tongban.License, error) {
	why, err := reason("reason", in.Reason)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var out *tongban.License
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		old, err := s.managed(ctx, tx, r, identifier)
		if err != nil {
			return err
		}
		typ, err := tx.LicenseType(ctx, old.TypeCode)
		if err != nil {
			return err
		}
		face, err := changedFace(typ, old.Face, in.Face)
		if err != nil {
			return err
		}
		validTo := old.ValidTo
		if v := strings.TrimSpace(in.ValidTo); v == "长期" {
			validTo = time.Time{}
		} else if v != "" {
			if validTo, err = time.Parse("2006-01-02", v); err != nil {
				return tongban.FieldError("valid_to", "有效期至应为 YYYY-MM-DD 或「长期」")
			}
			if validTo.Before(old.ValidFrom) {
				return tongban.FieldError("valid_to", "有效期至不能早于有效期起始日 %s", old.ValidFrom.Format("2006-01-02"))
			}
		}
		next, err := Succeed(ctx, tx, old, now, why)
		if err != nil {
			return err
		}
		next.Face, next.ValidTo = face, validTo
		if err := SignAndStore(ctx, tx, next); err != nil {
			return err
		}
		if err := lifeEvent(ctx, tx, EventChanged, next, now, map[string]any{"replaces": old.Identifier, "reason": why}); err != nil {
			return err
		}
		out = next
		return audit.Append(ctx, tx, auditEntry(r, now, AuditChange, "license:"+old.Identifier,
			fmt.Sprintf("%s %s 变更为第%d版 %s：%s", old.TypeName, old.Number, next.Version, next.Identifier, why)))
	})
	return out, err
}

// Succeed marks old 已变更 (with why) and returns its next version, not yet
// signed nor stored: same type, issuer, serial, number and holder, version +
// 1, issued now. The caller sets what changes and calls SignAndStore, in
// the same transaction.
func Succeed(ctx context.Context, tx tongban.Store, old *tongban.License, now time.Time, why string) (*tongban.License, error) {
	id, err := ParseIdentifier(old.Identifier)
	if err != nil {
		return nil, err
	}
	if id.Version >= 999 {
		return nil, tongban.Errorf(tongban.EConflict, "证照 %s 已达最大版本号，不能再变更", old.Identifier)
	}
	if old.Status != tongban.LicenseValid {
		return nil, tongban.Errorf(tongban.EConflict, "该证照%s，不能变更", old.Status.Label())
	}
	if err := tx.SetLicenseStatus(ctx, old.ID, tongban.LicenseChanged, why, now); err != nil {
		return nil, err
	}
	id.Version++
	next := *old
	next.ID, next.Identifier, next.Version, next.Replaces = 0, id.String(), id.Version, old.Identifier
	next.Status, next.StatusReason, next.StatusAt, next.Source = tongban.LicenseValid, "", time.Time{}, tongban.LicenseIssued
	next.KeyID, next.Signature, next.CreatedAt, next.CaseID = "", nil, now, 0
	local := now.In(chinaTime)
	next.IssuedOn = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	next.Face = make(map[string]string, len(old.Face))
	for k, v := range old.Face {
		next.Face[k] = v
	}
	return &next, nil
}

// changedFace applies changes, by printed name, to a face: only the type's
// items, a required one never emptied.
func changedFace(typ *tongban.LicenseType, face, changes map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(face))
	for k, v := range face {
		out[k] = v
	}
	byName := map[string]tongban.LicenseField{}
	for _, f := range typ.Fields {
		byName[f.Name] = f
	}
	for name, v := range changes {
		f, ok := byName[name]
		if !ok {
			return nil, tongban.FieldError("face."+name, "「%s」没有照面项「%s」", typ.Name, name)
		}
		v = strings.TrimSpace(v)
		if strings.ContainsFunc(v, isControl) || utf8.RuneCountInString(v) > 500 {
			return nil, tongban.FieldError("face."+name, "照面项「%s」过长或含有控制字符", name)
		}
		if v == "" {
			if f.Required {
				return nil, tongban.FieldError("face."+name, "照面项「%s」为必填项，不能清空", name)
			}
			delete(out, name)
			continue
		}
		out[name] = v
	}
	return out, nil
}

// lifeEvent appends a licence's outbox event (no personal data).
func lifeEvent(ctx context.Context, tx tongban.Store, typ string, l *tongban.License, now time.Time, extra map[string]any) error {
	ev := map[string]any{"identifier": l.Identifier, "type_code": l.TypeCode, "type_name": l.TypeName,
		"issuer_code": string(l.IssuerCode), "version": l.Version, "status": l.Status}
	for k, v := range extra {
		ev[k] = v
	}
	return outbox.Append(ctx, tx, typ, "license:"+l.Identifier, outbox.Scope{RegionCode: l.RegionCode, OrgID: l.IssuerID}, now, ev)
}

// auditEntry is an audit entry of r's actor, or of the system without one.
func auditEntry(r identity.Request, at time.Time, action, object, detail string) *tongban.AuditEntry {
	e := &tongban.AuditEntry{At: at, Actor: "系统", Action: action, Object: object, Detail: detail, IP: r.IP}
	if r.Actor != nil {
		e.ActorID, e.Actor = r.Actor.ID, r.Actor.Name
		if r.Actor.Username != "" {
			e.Actor += "(" + r.Actor.Username + ")"
		}
	}
	return e
}

// ManagedOrg is the org whose licences u manages when a request names none:
// the org of u's one grant holding the licence permission. With several,
// the request must name one (field org_id).
func ManagedOrg(u *tongban.User) (int64, error) {
	var org int64
	for _, g := range u.Roles {
		for _, p := range identity.PermissionsOf(g.Role) {
			if p != identity.PermLicenseManage {
				continue
			}
			if org != 0 && org != g.OrgID {
				return 0, tongban.FieldError("org_id", "您管理多个机构的电子证照，请指明机构")
			}
			org = g.OrgID
		}
	}
	if org == 0 {
		return 0, tongban.Errorf(tongban.EForbidden, "您没有管理电子证照的权限")
	}
	return org, nil
}
