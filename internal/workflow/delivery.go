package workflow

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/identity"
)

// DeliverInput says how the result reached the applicant.
type DeliverInput struct {
	Method     tongban.DeliveryMethod // "" = the applicant's choice
	TrackingNo string                 // required for express
	// A pickup is signed for (签收) by who collects it: the applicant, whose
	// ID the clerk checked (IdentityChecked), or a proxy (代领) with name,
	// ID number and the applicant's 授权委托书 (PowerOfAttorney).
	Collector       tongban.Collector
	IdentityChecked bool
	CollectorName   string
	CollectorID     string
	PowerOfAttorney bool
	// SameTrip says the pickup is part of a handover already counted as a
	// visit (a bundle's results handed over together): not a new trip.
	SameTrip bool
}

// Deliver (送达) hands the result — or a denial decision — over and closes
// the case: a pickup at the unified window (统一出件, a visit, save for a
// 即办件 handed over on the spot) or an express parcel with its tracking
// number. Owed 容缺 materials must have arrived before a result goes out.
func (s *Service) Deliver(ctx context.Context, r Request, id int64, in DeliverInput) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		method := in.Method
		if method == "" {
			method = t.c.Delivery.Method
		}
		var a *actor
		var err error
		switch method {
		case tongban.DeliveryPickup, "":
			method = tongban.DeliveryPickup
			var w *tongban.Org
			if a, w, err = t.pickupClerk(); err == nil {
				t.c.Delivery.WindowID = w.ID
			}
		case tongban.DeliveryExpress:
			a, err = firstOf(t.handout, t.backOffice)
		default:
			return tongban.FieldError("method", "送达方式应为 pickup 或 express")
		}
		if err != nil {
			return err
		}
		if err := t.closable(tongban.ActionDeliver); err != nil {
			return err
		}
		t.c.Delivery.Method = method
		reason := method.Label()
		if method == tongban.DeliveryPickup {
			h, err := t.handover(a, in)
			if err != nil {
				return err
			}
			if err := t.tx.RecordHandover(t.ctx, h); err != nil {
				return err
			}
			reason += "，" + h.Collector.Label()
			if h.Collector == tongban.CollectorProxy {
				reason += "：" + tongban.MaskName(h.CollectorName) + "（" + h.CollectorID.Masked() + "），凭授权委托书"
			}
		}
		if method == tongban.DeliveryExpress {
			in.TrackingNo = strings.TrimSpace(in.TrackingNo)
			if in.TrackingNo == "" {
				return tongban.FieldError("tracking_no", "快递送达须填写运单号")
			}
			t.c.Delivery.TrackingNo = in.TrackingNo
			reason += " 运单号 " + in.TrackingNo
		}
		t.record(a, tongban.ActionDeliver, tongban.CaseClosed, reason, nil, method == tongban.DeliveryPickup && !t.onTheSpot() && !in.SameTrip)
		return nil
	})
}

// onTheSpot reports a 即办件 handed over on the day it was accepted: the
// applicant never left the window (当场办结、当场出件), so the pickup is part
// of the trip already counted, not a new one.
func (t *txn) onTheSpot() bool {
	return t.c.Instant && calendar.DateOf(t.c.AcceptedAt) == calendar.DateOf(t.now)
}

// Close (办结) ends a case whose result needs no handing over (an e-licence
// pushed to the applicant). A denial is closed by delivering its decision.
func (s *Service) Close(ctx context.Context, r Request, id int64, note string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := firstOf(t.backOffice, t.handout)
		if err != nil {
			return err
		}
		if err := t.closable(tongban.ActionClose); err != nil {
			return err
		}
		t.record(a, tongban.ActionClose, tongban.CaseClosed, strings.TrimSpace(note), nil, false)
		return nil
	})
}

// closable refuses to end an approved case while 容缺 materials are owed.
func (t *txn) closable(action tongban.CaseAction) error {
	if err := checkFrom(t.c, action); err != nil {
		return err
	}
	if owed := t.c.Owed(); len(owed) > 0 && t.c.Outcome == tongban.CaseApproved {
		var ns []string
		for _, m := range owed {
			ns = append(ns, "「"+m.Name+"」")
		}
		return illegalBecause(t.c, action, "容缺材料"+strings.Join(ns, "")+"尚未补齐（应于 "+t.c.OwedDue+" 前补齐）")
	}
	return nil
}

// ProvideOwed records 容缺 materials arriving: uploaded by the applicant, or
// received at a window (inPerson: the applicant made a trip for it; leave
// it false when they came anyway, e.g. to pick the result up).
func (s *Service) ProvideOwed(ctx context.Context, r Request, id int64, materials []tongban.CaseMaterial, inPerson bool) (*tongban.Case, error) {
	if err := s.prepareForCase(ctx, r, id, materials); err != nil {
		return nil, err
	}
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.applicant()
		visit := false
		if err != nil {
			var werr error
			if a, werr = firstOf(func() (*actor, error) {
				a, _, err := t.window(identity.PermCaseAccept)
				return a, err
			}, t.handout); werr != nil {
				return err
			}
			visit = inPerson
		}
		if err := checkFrom(t.c, tongban.ActionProvideOwed); err != nil {
			return err
		}
		if len(t.c.Owed()) == 0 {
			return illegalBecause(t.c, tongban.ActionProvideOwed, "没有待补的容缺材料")
		}
		if len(materials) == 0 {
			return tongban.FieldError("materials", "请提交待补的容缺材料")
		}
		in, err := checkMaterials(t.listing, materials)
		if err != nil {
			return err
		}
		if err := t.resolveMaterials(in); err != nil {
			return err
		}
		for _, m := range in {
			if cm, _ := t.c.Material(m.Key); cm.Status != tongban.MaterialOwed {
				return tongban.FieldError("materials", "「%s」不是待补的容缺材料", m.Name)
			}
			setMaterial(t.c, m)
		}
		t.record(a, tongban.ActionProvideOwed, t.c.State, "", keysOf(in), visit)
		return nil
	})
}

// Withdraw (撤回): the applicant takes back an application not yet decided.
func (s *Service) Withdraw(ctx context.Context, r Request, id int64, reason string) (*tongban.Case, error) {
	return s.act(ctx, r, id, false, func(t *txn) error {
		a, err := t.applicant()
		if err != nil {
			return err
		}
		if err := checkFrom(t.c, tongban.ActionWithdraw); err != nil {
			return err
		}
		t.record(a, tongban.ActionWithdraw, tongban.CaseWithdrawn, strings.TrimSpace(reason), nil, false)
		return nil
	})
}

// pickupClerk is who hands a result over in person: staff holding the
// handout permission at a window of the hall whose result window the case
// was routed to (统一出件), which may be a hall outside the case's region
// when the applicant chose it (全市通办). It returns that result window.
// A case routed nowhere falls back to any window serving its region.
func (t *txn) pickupClerk() (*actor, *tongban.Org, error) {
	if t.c.Delivery.WindowID == 0 {
		return t.window(identity.PermCaseHandout)
	}
	pw, err := t.tx.Org(t.ctx, t.c.Delivery.WindowID)
	if err != nil {
		return nil, nil, err
	}
	g, w := handoutSeat(t.ctx, t.tx, t.authz, t.r.Actor, pw)
	if w == nil {
		return nil, nil, tongban.Errorf(tongban.EForbidden, "该办件的结果在「%s」待领取，须由该大厅的出件窗口办理", pw.Name)
	}
	return &actor{user: t.r.Actor, role: g.Role, orgID: w.ID}, pw, nil
}

// atHallOf reports whether u may hand out at the hall of the window.
func atHallOf(ctx context.Context, st tongban.Store, u *tongban.User, windowID int64) bool {
	pw, err := st.Org(ctx, windowID)
	if err != nil {
		return false
	}
	_, w := handoutSeat(ctx, st, identity.Authorizer{Orgs: st}, u, pw)
	return w != nil
}

// handoutSeat finds a grant through which u holds the handout permission at
// the result window pw or another window of its hall, and that window.
func handoutSeat(ctx context.Context, st tongban.Store, authz identity.Authorizer, u *tongban.User, pw *tongban.Org) (tongban.RoleGrant, *tongban.Org) {
	for _, g := range u.Roles {
		if !holds(g.Role, identity.PermCaseHandout) {
			continue
		}
		w, err := st.Org(ctx, g.OrgID)
		if err != nil || w.Kind != tongban.OrgWindow || (w.ID != pw.ID && (w.ParentID == 0 || w.ParentID != pw.ParentID)) {
			continue
		}
		if authz.RequireOrg(ctx, u, identity.PermCaseHandout, w.ID) == nil {
			return g, w
		}
	}
	return tongban.RoleGrant{}, nil
}

// handover checks who collects at the window and makes the 签收 record.
func (t *txn) handover(a *actor, in DeliverInput) (*tongban.Handover, error) {
	h := &tongban.Handover{CaseID: t.c.ID, WindowID: t.c.Delivery.WindowID, ClerkID: a.user.ID,
		Collector: in.Collector, SignedAt: t.now}
	switch in.Collector {
	case tongban.CollectorSelf:
		if !in.IdentityChecked {
			return nil, tongban.FieldError("identity_checked", "请核验领取人本人的身份证件后再签收")
		}
		h.CollectorName = t.c.ApplicantName
	case tongban.CollectorProxy:
		name := strings.TrimSpace(in.CollectorName)
		if name == "" || len([]rune(name)) > 50 {
			return nil, tongban.FieldError("collector_name", "请填写代领人姓名")
		}
		id, err := tongban.ParseIDNumber(in.CollectorID)
		if err != nil {
			e := tongban.AsError(err)
			return nil, &tongban.Error{Code: e.Code, Field: "collector_id_number", Message: "代领人" + e.Message}
		}
		if !in.PowerOfAttorney {
			return nil, tongban.FieldError("power_of_attorney", "代领须收取申请人签署的授权委托书")
		}
		h.CollectorName, h.CollectorID, h.PowerOfAttorney = name, id, true
	default:
		return nil, tongban.FieldError("collector", "请选择领取人：本人领取或代领")
	}
	return h, nil
}
