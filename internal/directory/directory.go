// Package directory maintains the regions and orgs a deployment serves:
// who may create them, and the audit of each change. The demo city and
// production imports both go through it.
package directory

import (
	"context"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// Service creates regions and orgs.
type Service struct {
	Store tongban.Store
	Clock tongban.Clock
	Authz identity.Authorizer
}

// CreateRegion adds a region; a nil actor is the system (import, demo).
func (s *Service) CreateRegion(ctx context.Context, reg *tongban.Region, r identity.Request) error {
	if r.Actor != nil {
		if err := s.Authz.Require(r.Actor, identity.PermOrgManage); err != nil {
			return err
		}
	}
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateRegion(ctx, reg); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "region_create", "region:"+reg.Code, reg.Name)
	})
}

// CreateOrg adds an org after checking that its parent (if any) lies in a
// region containing the org's own.
func (s *Service) CreateOrg(ctx context.Context, o *tongban.Org, r identity.Request) error {
	if r.Actor != nil {
		if err := s.Authz.Require(r.Actor, identity.PermOrgManage); err != nil {
			return err
		}
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if o.ParentID != 0 {
		parent, err := s.Store.Org(ctx, o.ParentID)
		if err != nil {
			return &tongban.Error{Code: tongban.EInvalid, Field: "parent_id", Message: "上级机构不存在"}
		}
		if !tongban.RegionContains(parent.RegionCode, o.RegionCode) {
			return tongban.FieldError("region_code", "机构所属区划须在上级机构（%s）的区划之内", parent.Name)
		}
	}
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "org_create", "org:"+strconv.FormatInt(o.ID, 10), o.Name)
	})
}

func (s *Service) audit(ctx context.Context, tx tongban.Store, r identity.Request, action, object, detail string) error {
	e := &tongban.AuditEntry{At: s.Clock.Now(), Actor: "系统", Action: action, Object: object, Detail: detail, IP: r.IP}
	if r.Actor != nil {
		e.ActorID, e.Actor = r.Actor.ID, r.Actor.Name
	}
	return audit.Append(ctx, tx, e)
}

// SetResultWindow designates a hall's window for handing out results and
// decisions (统一出件): the window must belong to the hall.
func (s *Service) SetResultWindow(ctx context.Context, hallID, windowID int64, r identity.Request) error {
	if r.Actor != nil {
		if err := s.Authz.Require(r.Actor, identity.PermOrgManage); err != nil {
			return err
		}
	}
	hall, err := s.Store.Org(ctx, hallID)
	if err != nil {
		return err
	}
	if hall.Kind != tongban.OrgHall {
		return tongban.FieldError("result_window", "只有政务服务大厅可以指定出件窗口")
	}
	w, err := s.Store.Org(ctx, windowID)
	if err != nil {
		return err
	}
	if w.Kind != tongban.OrgWindow || w.ParentID != hall.ID {
		return tongban.FieldError("result_window", "出件窗口须为%s的窗口", hall.Name)
	}
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.SetResultWindow(ctx, hall.ID, w.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, "org_result_window", "org:"+strconv.FormatInt(hall.ID, 10), w.Name)
	})
}
