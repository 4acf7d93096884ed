package api

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

type auditVerification struct {
	OK                bool   `json:"ok"`
	Entries           int64  `json:"entries"`
	Checkpoints       int    `json:"checkpoints"` // signed checkpoints the chain was held against
	BrokenAt          int64  `json:"broken_at,omitempty"`
	BadCheckpointLine int    `json:"bad_checkpoint_line,omitempty"`
	Reason            string `json:"reason,omitempty"`
}

func (a *API) auditRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/audit", Summary: "审计日志（按序号分页）", Tag: "audit", Access: staffOnly,
		Query: []Param{{Name: "after", Description: "只列出序号大于此值的记录"}, {Name: "limit", Description: "条数，最多 500"}},
		Out:   []tongban.AuditEntry{}, handle: a.listAudit})
	a.add(Route{Method: "GET", Path: "/api/v1/audit/verify", Summary: "校验审计日志哈希链", Tag: "audit", Access: staffOnly,
		Out: auditVerification{}, handle: a.verifyAudit})
}

func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	if err := a.Identity.Require(a.request(r).Actor, identity.PermAuditRead); err != nil {
		return err
	}
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	limit, err := strconv.Atoi(q.Get("limit"))
	if q.Get("limit") != "" && (err != nil || limit < 1 || limit > 500) {
		return tongban.FieldError("limit", "应为 1 至 500 之间的整数")
	}
	if limit == 0 {
		limit = 100
	}
	entries, err := audit.Entries(r.Context(), a.Store, after, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(entries))
}

func (a *API) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	if err := a.Identity.Require(a.request(r).Actor, identity.PermAuditRead); err != nil {
		return err
	}
	// What actions have queued is linked first, so the check covers them.
	if _, err := audit.Seal(r.Context(), a.Store); err != nil {
		return err
	}
	rep, err := a.Audit.Verify(r.Context(), a.Store)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, auditVerification{OK: rep.OK(), Entries: rep.Entries, Checkpoints: rep.Checkpoints,
		BrokenAt: rep.BrokenAt, BadCheckpointLine: rep.BadCheckpointLine, Reason: rep.Reason})
}
