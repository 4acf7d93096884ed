package identity

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

func itoa(i int) string     { return strconv.Itoa(i) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }

// CounterServiceTTL is how long a counter lookup by full ID number lets the
// clerk read that applicant: one visit to the window.
const CounterServiceTTL = 4 * time.Hour

// DefaultFullReadsPerHour is how many full reads one staff member may make
// in an hour before supervisors are alerted.
const DefaultFullReadsPerHour = 20

// Purpose is why a staff member reads an applicant: a purpose the workflow
// knows, never curiosity.
type Purpose struct {
	// CaseNumber: a case the reader may see (the workflow's case
	// visibility), of which the person is the applicant.
	CaseNumber string
	// Counter: the applicant the reader serves at the counter, found by the
	// full ID number they presented (CounterLookup) within CounterServiceTTL.
	Counter bool
	// Reason is why a full ID number or phone is needed; a full read
	// without one is refused. It is audited and shown to the person.
	Reason string
}

// CaseAccess answers, for the workflow, whether actor may see the case
// numbered number, and whose it is (set by the app: identity cannot import
// the workflow, which imports it).
type CaseAccess func(ctx context.Context, actor *tongban.User, number string) (applicantID int64, err error)

// ReadUser returns another person's account as the actor may see it.
// Staff accounts are visible to those with staff.read over one of the
// account's orgs. An applicant is visible to staff only for a purpose
// (Purpose): a case the reader may see, or the applicant served at the
// counter. Personal fields stay masked unless full is asked for, the actor
// holds applicant.read_pii and states a reason; a full read is audited and
// recorded as a data use shown to the person, and more than
// FullReadsPerHour of them by one staff member in an hour alert the
// supervisors.
func (s *Service) ReadUser(ctx context.Context, userID int64, full bool, why Purpose, r Request) (*tongban.User, error) {
	if r.Actor == nil {
		return nil, tongban.Errorf(tongban.EUnauthorized, "请先登录")
	}
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.ID == r.Actor.ID {
		return u, nil
	}
	if u.Kind == tongban.UserStaff {
		if err := s.requireAnyOrg(ctx, r.Actor, PermStaffRead, u.Roles); err != nil {
			return nil, err
		}
		return u, nil
	}
	if err := s.Require(r.Actor, PermApplicantRead); err != nil {
		return nil, err
	}
	if err := s.servesApplicant(ctx, r.Actor, u, why); err != nil {
		return nil, err
	}
	s.Log.Info("personal data read", "actor", r.actorID(), "user", u.ID, "full", full, "case", why.CaseNumber,
		"counter", why.Counter, "ip", r.IP)
	if !full {
		return u, nil
	}
	if err := s.Require(r.Actor, PermApplicantFull); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(why.Reason)
	switch n := len([]rune(reason)); {
	case n == 0:
		return nil, tongban.FieldError("reason", "查看完整身份证号和手机号须填写事由")
	case n > 200:
		return nil, tongban.FieldError("reason", "事由不能超过200个字")
	}
	why.Reason = reason
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		return s.recordReveal(ctx, tx, u, why, r)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// servesApplicant passes if why is a purpose the workflow knows for actor
// reading applicant u.
func (s *Service) servesApplicant(ctx context.Context, actor, u *tongban.User, why Purpose) error {
	switch {
	case why.CaseNumber != "":
		if s.Cases == nil {
			return tongban.Errorf(tongban.EInternal, "identity: no case access wired")
		}
		applicant, err := s.Cases(ctx, actor, why.CaseNumber)
		if err != nil {
			return err
		}
		if applicant != u.ID {
			return &tongban.Error{Code: tongban.EForbidden, Field: "case", Message: "该人员不是此办件的申请人"}
		}
		return nil
	case why.Counter:
		if err := s.Require(actor, PermCaseAccept); err != nil {
			return err
		}
		n, err := s.Store.CountDataUses(ctx, tongban.DataUseCount{SubjectID: u.ID, ActorID: actor.ID,
			Kind: tongban.DataUseCounterLookup, Since: s.Clock.Now().Add(-CounterServiceTTL)})
		if err != nil {
			return err
		}
		if n == 0 {
			return &tongban.Error{Code: tongban.EForbidden, Field: "id_number",
				Message: "请先输入申请人出示的身份证号核验身份，再查看其信息"}
		}
		return nil
	}
	return &tongban.Error{Code: tongban.EForbidden, Field: "case",
		Message: "查看申请人信息须有办理用途：您可查看的办件（case），或您正在窗口受理的申请人"}
}

// recordReveal audits a full read and records it as a data use of the
// person, then alerts supervisors if the reader is past the hourly limit.
func (s *Service) recordReveal(ctx context.Context, tx tongban.Store, u *tongban.User, why Purpose, r Request) error {
	now := s.Clock.Now()
	detail := "id_number,phone；事由：" + why.Reason
	if why.CaseNumber != "" {
		detail += "；办件：" + why.CaseNumber
	}
	if err := s.audit(ctx, tx, r, tongban.AuditPIIRead, userObject(u.ID), detail); err != nil {
		return err
	}
	grant := grantWith(r.Actor, PermApplicantFull)
	use := &tongban.DataUse{SubjectID: u.ID, At: now, Kind: tongban.DataUseStaffReveal, ActorID: r.Actor.ID,
		ActorName: grant.OrgName + " " + grant.Role.Label(), OrgID: grant.OrgID, OrgName: grant.OrgName,
		Resource: "id_number", Fields: []string{"id_number", "phone"}, CaseNumber: why.CaseNumber, Reason: why.Reason}
	if err := tx.RecordDataUse(ctx, use); err != nil {
		return err
	}
	return s.alertIfHarvesting(ctx, tx, grant, r.Actor, now)
}

// alertIfHarvesting raises one alert an hour for a staff member past
// FullReadsPerHour full reads in the last hour.
func (s *Service) alertIfHarvesting(ctx context.Context, tx tongban.Store, grant tongban.RoleGrant, actor *tongban.User, now time.Time) error {
	limit := s.FullReadsPerHour
	if limit <= 0 {
		limit = DefaultFullReadsPerHour
	}
	since := now.Add(-time.Hour)
	n, err := tx.CountDataUses(ctx, tongban.DataUseCount{ActorID: actor.ID, Kind: tongban.DataUseStaffReveal, Since: since})
	if err != nil || n <= limit {
		return err
	}
	recent, err := tx.StaffAlerts(ctx, tongban.StaffAlertFilter{ActorID: actor.ID, Kind: tongban.AlertFullReads, Since: since, Limit: 1})
	if err != nil || len(recent) > 0 {
		return err
	}
	region := ""
	if org, err := tx.Org(ctx, grant.OrgID); err == nil {
		region = org.RegionCode
	}
	s.Log.Warn("staff past the full-read limit", "actor", actor.ID, "reads", n, "limit", limit)
	return tx.CreateStaffAlert(ctx, &tongban.StaffAlert{At: now, Kind: tongban.AlertFullReads, ActorID: actor.ID,
		ActorName: actor.Name + "（" + actor.Username + "，" + grant.OrgName + " " + grant.Role.Label() + "）",
		OrgID:     grant.OrgID, RegionCode: region, Count: n, Since: since,
		Detail: "一小时内查看完整身份证号、手机号 " + itoa(n) + " 次，超过上限 " + itoa(limit) + " 次"})
}

// grantWith is the actor's first grant holding perm.
func grantWith(u *tongban.User, perm Permission) tongban.RoleGrant {
	for _, g := range u.Roles {
		if roleHas(g.Role, perm) {
			return g
		}
	}
	return tongban.RoleGrant{}
}

// CounterLookup finds the applicant a window clerk serves by the full ID
// number (or credit code) they presented, and records that as the purpose
// letting the clerk read them for CounterServiceTTL (a data use the person
// sees). Staff accounts are never found this way.
func (s *Service) CounterLookup(ctx context.Context, idOrCode string, r Request) (*tongban.User, error) {
	if err := s.Require(r.Actor, PermCaseAccept); err != nil {
		return nil, err
	}
	var u *tongban.User
	var err error
	if id, idErr := tongban.ParseIDNumber(idOrCode); idErr == nil {
		u, err = s.Store.UserByIDNumber(ctx, id)
	} else if code, codeErr := tongban.ParseCreditCode(idOrCode); codeErr == nil {
		u, err = s.Store.UserByLogin(ctx, string(code))
	} else {
		return nil, tongban.FieldError("id_number", "%s", tongban.AsError(idErr).Message)
	}
	if err == nil && u.Kind == tongban.UserStaff {
		err = tongban.Errorf(tongban.ENotFound, "")
	}
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, &tongban.Error{Code: tongban.ENotFound, Field: "id_number", Message: "未找到该申请人的账号，请协助申请人先注册"}
	}
	if err != nil {
		return nil, err
	}
	grant := grantWith(r.Actor, PermCaseAccept)
	err = s.Store.RecordDataUse(ctx, &tongban.DataUse{SubjectID: u.ID, At: s.Clock.Now(), Kind: tongban.DataUseCounterLookup,
		ActorID: r.Actor.ID, ActorName: grant.OrgName + " " + grant.Role.Label(), OrgID: grant.OrgID, OrgName: grant.OrgName,
		Resource: "account", Reason: "窗口受理，申请人出示身份证件"})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// requireAnyOrg passes if the actor's perm covers any of the grants' orgs.
func (s *Service) requireAnyOrg(ctx context.Context, actor *tongban.User, perm Permission, grants []tongban.RoleGrant) error {
	err := s.Require(actor, perm)
	if err != nil {
		return err
	}
	err = tongban.Errorf(tongban.EForbidden, "无权访问其他部门的人员信息")
	for _, g := range grants {
		if err = s.RequireOrg(ctx, actor, perm, g.OrgID); err == nil {
			return nil
		}
	}
	return err
}

// StaffOf lists staff of the orgs the actor may read: its scope's orgs.
func (s *Service) StaffOf(ctx context.Context, orgID int64, r Request) ([]*tongban.User, error) {
	if err := s.RequireOrg(ctx, r.Actor, PermStaffRead, orgID); err != nil {
		return nil, err
	}
	return s.Store.Users(ctx, tongban.UserFilter{Kind: tongban.UserStaff, OrgIDs: []int64{orgID}})
}
