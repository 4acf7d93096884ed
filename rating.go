package tongban

import (
	"context"
	"time"
)

// RatingLevel is the applicant's 5-level judgement of a service (好差评,
// 国办发〔2019〕51号): 1 非常不满意 … 5 非常满意.
type RatingLevel int

const (
	RatingVeryDissatisfied RatingLevel = 1 // 非常不满意 (差评)
	RatingDissatisfied     RatingLevel = 2 // 不满意 (差评)
	RatingFair             RatingLevel = 3 // 基本满意
	RatingSatisfied        RatingLevel = 4 // 满意
	RatingVerySatisfied    RatingLevel = 5 // 非常满意
)

var ratingLevelLabels = map[RatingLevel]string{
	RatingVeryDissatisfied: "非常不满意", RatingDissatisfied: "不满意", RatingFair: "基本满意",
	RatingSatisfied: "满意", RatingVerySatisfied: "非常满意",
}

// RatingLevels lists the levels from best to worst, as a form offers them.
var RatingLevels = []RatingLevel{RatingVerySatisfied, RatingSatisfied, RatingFair, RatingDissatisfied, RatingVeryDissatisfied}

func (l RatingLevel) Label() string { return ratingLevelLabels[l] }
func (l RatingLevel) Valid() bool   { _, ok := ratingLevelLabels[l]; return ok }

// Bad reports a 差评 (不满意 or 非常不满意): it needs a reason and opens a
// rectification ticket.
func (l RatingLevel) Bad() bool { return l == RatingDissatisfied || l == RatingVeryDissatisfied }

// Good reports a 好评 (满意 or 非常满意), the numerator of 好评率. 基本满意 is
// neither good nor bad.
func (l RatingLevel) Good() bool { return l == RatingSatisfied || l == RatingVerySatisfied }

// RatingChannel is where a rating was given (评价渠道).
type RatingChannel string

const (
	RatingWeb          RatingChannel = "web"           // 网站
	RatingMobile       RatingChannel = "mobile"        // 移动端
	RatingWindowDevice RatingChannel = "window_device" // 窗口评价器
	RatingQR           RatingChannel = "qr"            // 二维码
	RatingSMS          RatingChannel = "sms"           // 短信
)

var ratingChannelLabels = map[RatingChannel]string{
	RatingWeb: "网站", RatingMobile: "移动端", RatingWindowDevice: "窗口评价器", RatingQR: "二维码", RatingSMS: "短信",
}

// RatingChannels lists every channel.
var RatingChannels = []RatingChannel{RatingWeb, RatingMobile, RatingWindowDevice, RatingQR, RatingSMS}

func (c RatingChannel) Label() string { return ratingChannelLabels[c] }
func (c RatingChannel) Valid() bool   { _, ok := ratingChannelLabels[c]; return ok }

// IndicatorSet is the versioned list of indicator items (评价指标) a channel
// asks about; each rating stores the version it answered, so a later change
// of the list does not rewrite old ratings.
type IndicatorSet struct {
	Version int      `json:"version"`
	Items   []string `json:"items"`
}

var (
	onlineIndicators  = IndicatorSet{Version: 1, Items: []string{"办事效率", "指南准确", "办事便捷", "平台操作"}}
	counterIndicators = IndicatorSet{Version: 1, Items: []string{"服务效率", "服务水平", "服务态度"}}
)

// IndicatorsFor returns the indicator items in force for a channel: the
// window's device asks about the counter service, the others about the
// online one.
func IndicatorsFor(c RatingChannel) IndicatorSet {
	if c == RatingWindowDevice {
		return counterIndicators
	}
	return onlineIndicators
}

// BadRatingReasons is the standard list a 差评 chooses its reasons from; a
// written reason (the comment) may stand instead.
var BadRatingReasons = []string{
	"办事指南不准确", "材料要求反复变化", "办理时间过长", "多次跑动", "服务态度差", "政策解释不清",
	"系统操作不便", "未按时办结", "收费不合理", "其他",
}

// EncounterCase is the encounter of 一事一评: the case as a whole, at its
// decision or 办结. A visit (一次一评) is named by its case event's id.
const EncounterCase = "case"

// Rating is one encounter's rating by the case's applicant. It is keyed by
// (case, encounter): an encounter is rated once, through the channel
// recorded, and only the rater may change it within the change window.
type Rating struct {
	ID         int64         `json:"id"`
	CaseID     int64         `json:"case_id"`
	CaseNumber string        `json:"case_number"`
	Encounter  string        `json:"encounter"` // "case", or a visit's event id
	Channel    RatingChannel `json:"channel"`
	Level      RatingLevel   `json:"level"`
	// IndicatorVersion is the IndicatorSet version the Indicators answer;
	// each indicator is scored 1 to 5 like the level.
	IndicatorVersion int                    `json:"indicator_version"`
	Indicators       map[string]RatingLevel `json:"indicators,omitempty"`
	Reasons          []string               `json:"reasons,omitempty"`
	Comment          string                 `json:"comment,omitempty"`
	// RaterID is the applicant; never shown to the rated staff.
	RaterID    int64     `json:"-"`
	OrgID      int64     `json:"org_id"` // the department that handled the encounter
	RegionCode string    `json:"region_code"`
	ListingID  int64     `json:"listing_id"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TicketState is where a rectification ticket (差评整改) is.
type TicketState string

const (
	TicketVerifying  TicketState = "verifying"  // 待核实: 回访核实 due
	TicketRectifying TicketState = "rectifying" // 整改中: confirmed, 整改 due
	TicketRectified  TicketState = "rectified"  // 已整改
	TicketInvalid    TicketState = "invalid"    // 核实无效: unfounded, with a written explanation (解释说明)
)

var ticketStateLabels = map[TicketState]string{
	TicketVerifying: "待核实", TicketRectifying: "整改中", TicketRectified: "已整改", TicketInvalid: "核实无效",
}

func (s TicketState) Label() string { return ticketStateLabels[s] }
func (s TicketState) Valid() bool   { _, ok := ticketStateLabels[s]; return ok }
func (s TicketState) Open() bool    { return s == TicketVerifying || s == TicketRectifying }

// RatingTicket is the rectification a 差评 opens on the department that
// handled the encounter. It never names the rater.
type RatingTicket struct {
	ID         int64       `json:"id"`
	RatingID   int64       `json:"rating_id"`
	CaseID     int64       `json:"case_id"`
	CaseNumber string      `json:"case_number"`
	OrgID      int64       `json:"org_id"`
	RegionCode string      `json:"region_code"`
	State      TicketState `json:"state"`
	// VerifyDue and RectifyDue (YYYY-MM-DD, China dates) are working-day
	// deadlines counted from the rating: 回访核实, then 整改.
	VerifyDue  string `json:"verify_due"`
	RectifyDue string `json:"rectify_due"`
	// Finding is the department's 回访核实 note; Answer its 整改 report or,
	// for an invalid ticket, the written explanation.
	Finding    string    `json:"finding,omitempty"`
	Answer     string    `json:"answer,omitempty"`
	HandlerID  int64     `json:"handler_id,omitempty"` // who answered last
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	ClosedAt   time.Time `json:"closed_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
	Version    int       `json:"version"`
}

// RatingTicketFilter narrows a ticket listing; zero fields do not filter.
// OrgIDs and Regions together are a scope (OrgScope): a ticket matches
// when its org is listed or it lies in one of the regions or below.
type RatingTicketFilter struct {
	OrgIDs  []int64
	Regions []string
	States  []TicketState
	Limit   int
}

// RatingStore keeps ratings and their rectification tickets.
type RatingStore interface {
	// CreateRating inserts r; a second rating of the same (case, encounter)
	// is an EConflict.
	CreateRating(ctx context.Context, r *Rating) error
	// UpdateRating rewrites the rater's level, indicators, reasons, comment
	// and UpdatedAt of the rating with r.ID.
	UpdateRating(ctx context.Context, r *Rating) error
	// RatingOf returns the rating of an encounter; ENotFound if unrated.
	RatingOf(ctx context.Context, caseID int64, encounter string) (*Rating, error)
	// CaseRatings lists a case's ratings, oldest first.
	CaseRatings(ctx context.Context, caseID int64) ([]*Rating, error)
	// CreateRatingTicket inserts t (Version becomes 1); one per rating.
	CreateRatingTicket(ctx context.Context, t *RatingTicket) error
	RatingTicket(ctx context.Context, id int64) (*RatingTicket, error)
	// TicketOfRating returns the rating's ticket; ENotFound if none.
	TicketOfRating(ctx context.Context, ratingID int64) (*RatingTicket, error)
	// UpdateRatingTicket writes t if its Version is still the stored one,
	// then increments it; a stale Version is an EConflict.
	UpdateRatingTicket(ctx context.Context, t *RatingTicket) error
	// RatingTickets lists tickets, oldest verify deadline first.
	RatingTickets(ctx context.Context, f RatingTicketFilter) ([]*RatingTicket, error)
}

// RatingCounts are what 好评率 and 差评率 count on the measures page: the
// rating rollups (RatingEventStore), so an unrated encounter is in no count.
type RatingCounts struct {
	Rated int64 `json:"rated"`
	Good  int64 `json:"good"` // 满意, 非常满意
	Bad   int64 `json:"bad"`  // 不满意, 非常不满意
	// Excluded are ratings out of the figures by an upheld appeal (申诉成立).
	Excluded int64 `json:"excluded"`
}
