package tongban

import (
	"context"
	"time"
)

// UserKind separates applicants (citizens, enterprises) from staff.
type UserKind string

const (
	UserCitizen    UserKind = "citizen"    // 自然人
	UserEnterprise UserKind = "enterprise" // 法人
	UserStaff      UserKind = "staff"      // 工作人员
)

// User is any account. Personal fields hold full values in memory; they print
// masked (see pii.go) and the store keeps them encrypted at rest.
type User struct {
	ID       int64    `json:"id"`
	Kind     UserKind `json:"kind"`
	Name     string   `json:"name"`
	Username string   `json:"username,omitempty"` // staff sign-in name
	IDNumber IDNumber `json:"id_number,omitempty"`
	Phone    Phone    `json:"phone,omitempty"`
	// PhoneVerifiedAt is when the owner proved possession of Phone (a
	// one-time code); nil = unverified: stored, never used to sign in.
	PhoneVerifiedAt *time.Time `json:"phone_verified_at,omitempty"`
	// Enterprise accounts: the credit code and the legal representative.
	CreditCode   CreditCode `json:"credit_code,omitempty"`
	LegalRepName string     `json:"legal_rep_name,omitempty"`
	LegalRepID   IDNumber   `json:"legal_rep_id_number,omitempty"`

	PasswordHash string      `json:"-"`
	Disabled     bool        `json:"disabled,omitempty"`
	CreatedAt    time.Time   `json:"created_at"`
	Roles        []RoleGrant `json:"roles,omitempty"`
}

// Role is a staff role. What each role may do is decided in one table in
// internal/identity.
type Role string

const (
	RoleClerk        Role = "clerk"         // 综合窗口受理人员
	RoleApprover     Role = "approver"      // 后台审批人员
	RoleDeptAdmin    Role = "dept_admin"    // 部门管理员
	RoleCatalogAdmin Role = "catalog_admin" // 事项管理员
	RoleSupervisor   Role = "supervisor"    // 效能监察
	RoleSysAdmin     Role = "sys_admin"     // 系统管理员
	RoleHotline      Role = "hotline"       // 12345热线: takes, dispatches and calls back complaints
)

var roleLabels = map[Role]string{
	RoleClerk: "综合窗口受理", RoleApprover: "后台审批", RoleDeptAdmin: "部门管理员",
	RoleCatalogAdmin: "事项管理员", RoleSupervisor: "效能监察", RoleSysAdmin: "系统管理员",
	RoleHotline: "12345热线",
}

// Roles lists every role in display order.
var Roles = []Role{RoleClerk, RoleApprover, RoleDeptAdmin, RoleCatalogAdmin, RoleSupervisor, RoleSysAdmin, RoleHotline}

// Label is the Chinese name of the role.
func (r Role) Label() string { return roleLabels[r] }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// RoleGrant gives a staff member a role scoped to an org.
type RoleGrant struct {
	Role    Role   `json:"role"`
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name,omitempty"`
}

// Has reports whether the user holds the role in any org.
func (u *User) Has(r Role) bool {
	for _, g := range u.Roles {
		if g.Role == r {
			return true
		}
	}
	return false
}

// Session is a signed-in browser. Only a hash of its token is stored.
type Session struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	IP        string
}

// APIToken is a bearer token for a machine client; only its hash is stored.
type APIToken struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// UserFilter narrows a user listing.
type UserFilter struct {
	Kind   UserKind
	OrgIDs []int64 // staff holding a role in any of these orgs
	Limit  int
}

// UserStore persists accounts and their roles.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	User(ctx context.Context, id int64) (*User, error)
	// UsersByID reads the users of ids with their roles, by ID, in a few
	// statements rather than one each; an ID with no account is absent.
	UsersByID(ctx context.Context, ids []int64) (map[int64]*User, error)
	// UserByLogin finds an account by username, ID number, credit code or
	// verified phone.
	UserByLogin(ctx context.Context, login string) (*User, error)
	// MarkPhoneVerified sets the user's phone, verified at at, and
	// un-verifies the same number on every other account.
	MarkPhoneVerified(ctx context.Context, userID int64, phone Phone, at time.Time) error
	UserByIDNumber(ctx context.Context, id IDNumber) (*User, error)
	Users(ctx context.Context, f UserFilter) ([]*User, error)
	SetPassword(ctx context.Context, userID int64, hash string) error
	// SetDisabled stops (or restores) an account's sign-ins.
	SetDisabled(ctx context.Context, userID int64, disabled bool) error
	GrantRole(ctx context.Context, userID int64, g RoleGrant) error
	RevokeRole(ctx context.Context, userID int64, g RoleGrant) error
}

// SessionStore persists browser sessions and API tokens.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	SessionByTokenHash(ctx context.Context, hash string, now time.Time) (*Session, error)
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions ends every session of the user except keepHash.
	DeleteUserSessions(ctx context.Context, userID int64, keepHash string) error

	CreateAPIToken(ctx context.Context, t *APIToken) error
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	APITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error
	// RevokeUserAPITokens revokes every live token of the user (a password
	// change) and returns how many.
	RevokeUserAPITokens(ctx context.Context, userID int64, at time.Time) (int, error)
}

// ThrottleStore counts failed sign-ins per key (an account or an IP) so that
// throttling holds across every app server.
type ThrottleStore interface {
	RecordFailure(ctx context.Context, key string, at time.Time) error
	Failures(ctx context.Context, key string, since time.Time) (int, error)
	// LastFailure is the time of the key's latest failure after since, or
	// the zero time.
	LastFailure(ctx context.Context, key string, since time.Time) (time.Time, error)
	ClearFailures(ctx context.Context, key string) error
	// PurgeExpired deletes sessions that have expired and failures older
	// than before, so neither table grows without bound.
	PurgeExpired(ctx context.Context, now, before time.Time) (int64, error)
}
