package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

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
