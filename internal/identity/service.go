// Package identity signs people in: applicants (citizens and enterprises)
// who register themselves, and staff whose accounts and roles are granted.
// It owns passwords (argon2id), sessions, API tokens, sign-in throttling,
// the permission table, and the auditing of reads of personal data.
package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
)

// Service is the identity service.
type Service struct {
	Store      tongban.Store
	Clock      tongban.Clock
	Log        *slog.Logger
	Argon2     Argon2Params
	SessionTTL time.Duration
	// ProvePhone, when set, must accept the one-time code before
	// registration claims a walk-in record (see ClaimWalkIn).
	ProvePhone PhoneProof
	Authorizer
	// ExtraCheck is the extra verification step of a sign-in to an account
	// many addresses failed on (throttle.go); nil until one-time codes exist.
	ExtraCheck ExtraCheck
	// PasswordCheck checks a password against a stored hash; nil is
	// CheckPassword. Tests count its calls.
	PasswordCheck func(encoded, password string) bool
	// Cases is the workflow's case visibility, for reads of applicants
	// for a case (read.go); FullReadsPerHour the full reads one staff
	// member may make in an hour before supervisors are alerted (0 =
	// DefaultFullReadsPerHour).
	Cases            CaseAccess
	FullReadsPerHour int

	auth  authCache // recently checked tokens; see AuthCacheTTL
	dummy struct {  // see dummyHash
		sync.Mutex
		hash   string
		params Argon2Params
	}
}

// New returns a Service with production defaults.
func New(st tongban.Store, clock tongban.Clock, log *slog.Logger) *Service {
	return &Service{Store: st, Clock: clock, Log: log, Argon2: DefaultArgon2, SessionTTL: 12 * time.Hour,
		Authorizer: Authorizer{Orgs: st}}
}

// Request carries who is acting and from where, for the audit log.
type Request struct {
	Actor *tongban.User
	IP    string
}

func (r Request) actorID() int64 {
	if r.Actor == nil {
		return 0
	}
	return r.Actor.ID
}

func (r Request) actorName() string {
	if r.Actor == nil {
		return "系统"
	}
	if r.Actor.Kind == tongban.UserStaff {
		return r.Actor.Name + "(" + r.Actor.Username + ")"
	}
	return tongban.MaskName(r.Actor.Name)
}

func (s *Service) audit(ctx context.Context, st tongban.Store, r Request, action, object, detail string) error {
	return audit.Append(ctx, st, &tongban.AuditEntry{
		At: s.Clock.Now(), ActorID: r.actorID(), Actor: r.actorName(),
		Action: action, Object: object, Detail: detail, IP: r.IP,
	})
}

func userObject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// newToken returns a random token and the hash under which it is stored.
func newToken() (plain, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("identity: no randomness: " + err.Error())
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken is how session and API tokens are stored: SHA-256, since the
// tokens are random and long, a slow hash adds nothing.
func HashToken(plain string) string {
	h := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(h[:])
}

func trimName(field, name string) (string, error) {
	name = strings.TrimSpace(name)
	switch n := len([]rune(name)); {
	case n == 0:
		return "", tongban.FieldError(field, "姓名不能为空")
	case n > 50:
		return "", tongban.FieldError(field, "姓名不能超过50个字")
	}
	return name, nil
}
