package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

type staffPage struct {
	Base
	Orgs []orgStaff
}

type orgStaff struct {
	Org   *tongban.Org
	Staff []*tongban.User
}

// consoleStaff lists the staff of each org the signed-in member reads staff in.
func (w *Web) consoleStaff(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.Identity.Require(u, identity.PermStaffRead); err != nil {
		return err
	}
	p := staffPage{Base: w.base(rw, r, "人员管理")}
	seen := map[int64]bool{}
	for _, g := range u.Roles {
		if seen[g.OrgID] {
			continue
		}
		seen[g.OrgID] = true
		staff, err := w.Identity.StaffOf(r.Context(), g.OrgID, w.request(r))
		if tongban.IsCode(err, tongban.EForbidden) {
			continue
		}
		if err != nil {
			return err
		}
		o, err := w.Store.Org(r.Context(), g.OrgID)
		if err != nil {
			return err
		}
		p.Orgs = append(p.Orgs, orgStaff{Org: o, Staff: staff})
	}
	return w.render(rw, r, http.StatusOK, "staff", p)
}

type auditPage struct {
	Base
	Report  audit.Report
	Entries []*tongban.AuditEntry
}

// consoleAudit shows the newest audit entries and whether the chain verifies.
func (w *Web) consoleAudit(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.Identity.Require(u, identity.PermAuditRead); err != nil {
		return err
	}
	rep, err := audit.Verify(r.Context(), w.Store)
	if err != nil {
		return err
	}
	after := rep.Entries - 100
	if after < 0 {
		after = 0
	}
	entries, err := audit.Entries(r.Context(), w.Store, after, 100)
	if err != nil {
		return err
	}
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	return w.render(rw, r, http.StatusOK, "audit", auditPage{Base: w.base(rw, r, "审计日志"), Report: rep, Entries: entries})
}
