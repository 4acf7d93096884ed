package tongban

import (
	"context"
	"time"
)

// Audit actions. Every security-relevant action writes one entry.
const (
	AuditLogin          = "login"
	AuditLoginFailed    = "login_failed"
	AuditLogout         = "logout"
	AuditRegister       = "register"
	AuditPasswordChange = "password_change"
	AuditUserCreate     = "user_create"
	AuditRoleGrant      = "role_grant"
	AuditRoleRevoke     = "role_revoke"
	AuditPIIRead        = "pii_read" // a full ID number or phone was shown
	AuditTokenCreate    = "token_create"
	AuditTokenRevoke    = "token_revoke"
)

// AuditEntry is one link of the append-only, SM3 hash-chained audit log.
// Hash = SM3(PrevHash || canonical fields); altering or removing any row
// breaks every later link.
type AuditEntry struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	ActorID  int64     `json:"actor_id,omitempty"`
	Actor    string    `json:"actor"` // display name at the time, masked where personal
	Action   string    `json:"action"`
	Object   string    `json:"object"` // e.g. "user:42", "case:5116022025…"
	Detail   string    `json:"detail,omitempty"`
	IP       string    `json:"ip,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// AuditStore persists the audit chain. Appends go through internal/audit,
// which computes the hash inside a transaction holding the chain head.
type AuditStore interface {
	// AuditHead returns the last sequence number and hash, locking the head
	// against concurrent appends until the transaction ends.
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	InsertAudit(ctx context.Context, e *AuditEntry) error
	// AuditEntries returns entries with Seq > after, in order, at most limit.
	AuditEntries(ctx context.Context, after int64, limit int) ([]*AuditEntry, error)
}

// Store is every store, plus transactions. Transact runs fn with a Store bound
// to one database transaction, retrying serialization failures; nested calls
// join the outer transaction.
type Store interface {
	RegionStore
	OrgStore
	UserStore
	SessionStore
	ThrottleStore
	AuditStore
	CatalogStore
	CaseStore
	CalendarStore
	StatsStore
	Transact(ctx context.Context, fn func(Store) error) error
	Ping(ctx context.Context) error
}
