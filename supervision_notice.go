package tongban

import (
	"context"
	"time"
)

// NoticeSubject is what a 督办 is about.
type NoticeSubject string

const (
	NoticeCase      NoticeSubject = "case"      // an overdue or stalled case
	NoticeTicket    NoticeSubject = "ticket"    // an overdue 差评整改 ticket
	NoticeComplaint NoticeSubject = "complaint" // an overdue 12345 complaint
)

var noticeSubjectLabels = map[NoticeSubject]string{NoticeCase: "办件", NoticeTicket: "差评整改工单", NoticeComplaint: "投诉工单"}

func (s NoticeSubject) Label() string { return noticeSubjectLabels[s] }
func (s NoticeSubject) Valid() bool   { _, ok := noticeSubjectLabels[s]; return ok }

// Card is how far an unanswered 督办 has escalated: none before its
// deadline, 黄牌 past it, 红牌 a configured number of working days later.
type Card string

const (
	CardNone   Card = ""
	CardYellow Card = "yellow" // 黄牌: past the deadline, unanswered
	CardRed    Card = "red"    // 红牌: still unanswered N working days after
)

var cardLabels = map[Card]string{CardNone: "", CardYellow: "黄牌", CardRed: "红牌"}

func (c Card) Label() string { return cardLabels[c] }

// SupervisionNotice is a 督办: a supervisor's demand on a department about
// a case, ticket or complaint, with a working-day deadline. It never
// changes once answered; its Card is computed from Due, AnsweredAt and
// the calendar (internal/rating), not stored.
type SupervisionNotice struct {
	ID         int64         `json:"id"`
	Subject    NoticeSubject `json:"subject"`
	SubjectID  int64         `json:"subject_id"`
	SubjectRef string        `json:"subject_ref"` // case number, ticket id or complaint number
	OrgID      int64         `json:"org_id"`
	RegionCode string        `json:"region_code"`
	Demand     string        `json:"demand"`
	Due        string        `json:"due"` // YYYY-MM-DD, China date
	IssuedBy   int64         `json:"issued_by"`
	IssuedAt   time.Time     `json:"issued_at"`
	Answer     string        `json:"answer,omitempty"`
	AnsweredBy int64         `json:"answered_by,omitempty"`
	AnsweredAt time.Time     `json:"answered_at,omitzero"`
	Version    int           `json:"version"`
	// Announced is the card last announced in the outbox
	// (notice.escalated); internal, so each escalation is announced once.
	Announced Card `json:"-"`
}

// Answered reports whether the department has answered.
func (n *SupervisionNotice) Answered() bool { return !n.AnsweredAt.IsZero() }

// NoticeFilter narrows a 督办 listing; OrgIDs and Regions are a scope.
type NoticeFilter struct {
	OrgIDs    []int64
	Regions   []string
	Open      bool // unanswered only
	Subject   NoticeSubject
	SubjectID int64
	DueBefore string // YYYY-MM-DD: deadlines before this day only
	Limit     int
}

// SupervisionNoticeStore keeps 督办.
type SupervisionNoticeStore interface {
	CreateNotice(ctx context.Context, n *SupervisionNotice) error
	Notice(ctx context.Context, id int64) (*SupervisionNotice, error)
	// AnswerNotice writes the answer if n.Version is the stored one and the
	// notice is unanswered, then increments it; else an EConflict.
	AnswerNotice(ctx context.Context, n *SupervisionNotice) error
	// Notices lists 督办, earliest deadline first.
	Notices(ctx context.Context, f NoticeFilter) ([]*SupervisionNotice, error)
	// AnnounceNoticeCard records that the notice's escalation to card was
	// announced, if from is still the card last announced; else EConflict
	// (another server announced it first).
	AnnounceNoticeCard(ctx context.Context, id int64, from, card Card) error
}
