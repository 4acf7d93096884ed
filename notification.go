package tongban

import (
	"context"
	"time"
)

// Notification is one entry of a person's in-app inbox (消息中心): one per
// (person, subject), brought up to date by each later event about the same
// thing rather than piling up, and unread again when it changes.
type Notification struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"-"`
	Subject   string    `json:"subject"` // what it is about: case:{number}, license:{id}
	Category  string    `json:"category"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link,omitempty"` // a path in Tongban
	EventID   string    `json:"-"`              // the latest event folded in
	Read      bool      `json:"read"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MessageChannel is how a message reaches a person outside Tongban.
type MessageChannel string

const (
	MessageSMS   MessageChannel = "sms"
	MessageEmail MessageChannel = "email"
)

var messageChannelLabels = map[MessageChannel]string{MessageSMS: "短信", MessageEmail: "电子邮件"}

func (c MessageChannel) Label() string { return messageChannelLabels[c] }
func (MessageChannel) Enum() []string  { return enumOf(messageChannelLabels) }

// MessageStatus is where an SMS or email stands.
type MessageStatus string

const (
	MessageQueued MessageStatus = "queued" // waiting for its time (SMS at daytime) or a retry
	MessageSent   MessageStatus = "sent"
	MessageFailed MessageStatus = "failed" // gave up after the last retry
)

var messageStatusLabels = map[MessageStatus]string{MessageQueued: "待发送", MessageSent: "已发送", MessageFailed: "发送失败"}

func (s MessageStatus) Label() string { return messageStatusLabels[s] }
func (MessageStatus) Enum() []string  { return enumOf(messageStatusLabels) }

// Message is one SMS or email to one person, from one event (idempotent:
// one per event, person, channel and template) or a one-time code. The address is
// sealed at rest and printed masked.
type Message struct {
	ID        int64          `json:"id"`
	EventID   string         `json:"-"` // "" for one-time codes
	UserID    int64          `json:"-"`
	Channel   MessageChannel `json:"channel"`
	Template  string         `json:"template"`
	To        string         `json:"-"`  // phone number or email address
	ToMasked  string         `json:"to"` // what pages show
	Subject   string         `json:"subject,omitempty"`
	Body      string         `json:"body"` // a code's message is stored with the code blanked out
	Status    MessageStatus  `json:"status"`
	Attempts  int            `json:"attempts"`
	NextAt    time.Time      `json:"next_at"`
	CreatedAt time.Time      `json:"created_at"`
	SentAt    time.Time      `json:"sent_at,omitzero"`
	LastError string         `json:"last_error,omitempty"`
}

// NotifyPrefs are a person's choices (通知设置): which kinds of message
// reach them by SMS and by email, and where email goes. The inbox always
// gets everything. A category absent from Off is on.
type NotifyPrefs struct {
	UserID int64  `json:"-"`
	Email  string `json:"email,omitempty"` // sealed at rest
	// Off lists "channel:category" pairs the person turned off, e.g.
	// "sms:case_progress", "email:rating_invite".
	Off       []string  `json:"off"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Wants reports whether a category of message may go out on a channel.
func (p *NotifyPrefs) Wants(ch MessageChannel, category string) bool {
	if p == nil {
		return true
	}
	key := string(ch) + ":" + category
	for _, o := range p.Off {
		if o == key {
			return false
		}
	}
	return true
}

// CodePurpose says what a one-time code proves.
type CodePurpose string

const (
	CodeBindPhone     CodePurpose = "bind_phone"     // 绑定手机: the person holds this number
	CodeResetPassword CodePurpose = "reset_password" // 找回密码
	CodeSignIn        CodePurpose = "sign_in"        // the extra step of a sign-in to an account under attack
)

var codePurposeLabels = map[CodePurpose]string{
	CodeBindPhone: "绑定手机号", CodeResetPassword: "找回密码", CodeSignIn: "登录验证",
}

func (p CodePurpose) Label() string { return codePurposeLabels[p] }
func (p CodePurpose) Valid() bool   { _, ok := codePurposeLabels[p]; return ok }

// OneTimeCode is a short code sent by SMS. Only a keyed hash of the code is
// stored; Attempts counts checks, made before each comparison.
type OneTimeCode struct {
	ID        int64
	Purpose   CodePurpose
	Phone     Phone // not stored: the store keeps its blind index
	UserID    int64 // the account it is for, when known
	MAC       string
	IP        string
	CreatedAt time.Time
	ExpiresAt time.Time
	Attempts  int
	UsedAt    time.Time
}

// NotifyStore keeps inboxes, messages, preferences and one-time codes.
type NotifyStore interface {
	// UpsertNotifications creates each (user, subject) entry or brings it
	// up to date, unread, unless it already holds n.EventID; of entries
	// naming one (user, subject), the last counts.
	UpsertNotifications(ctx context.Context, ns ...*Notification) error
	Notifications(ctx context.Context, userID int64, unreadOnly bool, limit, offset int) ([]*Notification, error)
	CountUnread(ctx context.Context, userID int64) (int, error)
	// MarkRead marks one of the user's notifications read, or all when id is 0.
	MarkRead(ctx context.Context, userID, id int64, at time.Time) error

	// QueueMessage stores a message unless one of its event, person,
	// channel and template is already there; it reports whether it stored.
	QueueMessage(ctx context.Context, m *Message) (bool, error)
	// DueMessages returns queued messages due at now, oldest first.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]*Message, error)
	// ClaimMessage counts an attempt of a queued message before it is sent
	// and moves its next try to retryAt; false if it is no longer queued.
	ClaimMessage(ctx context.Context, id int64, retryAt time.Time) (bool, error)
	// FinishMessage records a message sent or given up.
	FinishMessage(ctx context.Context, m *Message) error
	Messages(ctx context.Context, userID int64, limit int) ([]*Message, error)
	// MessageTotals counts messages by status, for /metrics and the console.
	MessageTotals(ctx context.Context) (map[MessageStatus]int64, error)

	NotifyPrefs(ctx context.Context, userID int64) (*NotifyPrefs, error)
	// NotifyPrefsOf returns the preferences of several people (absent: none set).
	NotifyPrefsOf(ctx context.Context, userIDs []int64) (map[int64]*NotifyPrefs, error)
	SetNotifyPrefs(ctx context.Context, p *NotifyPrefs) error

	CreateCode(ctx context.Context, c *OneTimeCode) error
	// CountCodes counts codes sent since since to phone (when not empty)
	// or from ip (when not empty).
	CountCodes(ctx context.Context, phone Phone, ip string, since time.Time) (int, error)
	// LatestCode returns the newest unused, unexpired code for purpose and phone.
	LatestCode(ctx context.Context, purpose CodePurpose, phone Phone, now time.Time) (*OneTimeCode, error)
	// CountCodeAttempt adds one to a code's attempts if fewer than max were
	// made; false when none remain.
	CountCodeAttempt(ctx context.Context, id int64, max int) (bool, error)
	// UseCode marks a code used if it is not yet; false if it already was.
	UseCode(ctx context.Context, id int64, at time.Time) (bool, error)
}
