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
	AuditChainRekey     = "audit_rekey" // the chain's links were re-keyed (once, on upgrade)
	AuditChainPurge     = "audit_purge" // entries past the retention period were deleted
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

// AuditStore persists the audit chain. An action queues its entry inside
// its own transaction (QueueAudit, one insert, no lock); internal/audit's
// sealer later moves queued entries into the chain in batches, holding the
// head only for the batch. See migration 00007.
type AuditStore interface {
	// QueueAudit stores e, unchained, with the transaction it joins.
	QueueAudit(ctx context.Context, e *AuditEntry) error
	// QueuedAudit returns up to limit queued entries, oldest first, each
	// with its queue id.
	QueuedAudit(ctx context.Context, limit int) ([]QueuedAuditEntry, error)
	// HasQueuedAudit reports, without locking, whether any entry waits.
	HasQueuedAudit(ctx context.Context) (bool, error)
	// AuditHead returns the last sequence number and hash, locking the head
	// against concurrent sealers until the transaction ends.
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
	// ChainAudit appends chained entries (in Seq order, the first following
	// the head), moves the head to the last, and removes the queue rows
	// they came from. It must run in the transaction that read the head.
	ChainAudit(ctx context.Context, entries []*AuditEntry, queueIDs []int64) error
	// AuditEntries returns chained entries with Seq > after, in order, at most limit.
	AuditEntries(ctx context.Context, after int64, limit int) ([]*AuditEntry, error)
	// SearchAudit returns chained entries matching f, newest first.
	SearchAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)

	// AuditChainKey is the chain's SM3-HMAC key, derived from the platform
	// secret and held in memory only: a database writer cannot recompute links.
	AuditChainKey() []byte
	// AuditChainState reads the head, when the chain was keyed, and where it
	// starts after retention purges (see migration 00010).
	AuditChainState(ctx context.Context) (AuditChainState, error)
	// RehashAudit rewrites the links of entries; KeyAuditHead then sets the
	// head's hash and records the chain keyed. Both run in the transaction
	// that locked the head (the one-time re-key of migration 00010).
	RehashAudit(ctx context.Context, entries []*AuditEntry) error
	KeyAuditHead(ctx context.Context, hash string, keyedAt time.Time) error
	// AuditEntryBefore returns the last entry written before t (0, "" if none).
	AuditEntryBefore(ctx context.Context, t time.Time) (seq int64, hash string, err error)
	// PurgeAudit deletes entries up to and including seq through and makes
	// the chain start after it (genesis: through and its hash).
	PurgeAudit(ctx context.Context, through int64, hash string) (int64, error)
}

// AuditFilter selects audit entries for the audit page; zero fields match all.
type AuditFilter struct {
	Actor    string    // part of the actor's display name
	Action   string    // exact action
	Object   string    // the object, or the start of it ("case:", "user:42")
	From, To time.Time // At in [From, To)
	Before   int64     // Seq < Before: the next page after the last seen
	Limit    int
}

// AuditChainState is the chain's bookkeeping row.
type AuditChainState struct {
	HeadSeq     int64
	HeadHash    string
	KeyedAt     time.Time // zero: links are still unkeyed SM3 (before migration 00010's re-key)
	GenesisSeq  int64     // the last purged entry; the chain starts after it
	GenesisHash string
}

// QueuedAuditEntry is an audit entry waiting to be chained.
type QueuedAuditEntry struct {
	ID    int64
	Entry *AuditEntry
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
	UploadStore
	CatalogStore
	ListingProposalStore
	CaseStore
	CalendarStore
	StatsStore
	OutboxStore
	OutboxPublishStore
	WebhookStore
	NotifyStore
	OIDCStore
	DataUseStore
	StandardMaterialStore
	LibraryStore
	LicenseStore
	LicenseLinkStore
	StaffAlertStore
	DataStore
	HandoverStore
	AccountRecoveryStore
	RatingStore
	RatingEventStore
	BundleStore
	RatingAppealStore
	SupervisionNoticeStore
	ComplaintStore
	ComplaintRollupStore
	WindowDeviceStore
	ClaimReadStore
	Transact(ctx context.Context, fn func(Store) error) error
	Ping(ctx context.Context) error
}
