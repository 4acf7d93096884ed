package rating

// LoopConfig is a city's settings for 督办 and 12345 complaints, all in
// working days on the calendar.
type LoopConfig struct {
	// NoticeDays is a 督办's deadline when the supervisor names none;
	// RedDays how many working days past it an unanswered 督办 turns from
	// 黄牌 to 红牌. StallDays is when a case with no event counts as
	// stalled, so that it may be 督办-ed (the supervision page's default).
	NoticeDays int
	RedDays    int
	StallDays  int
	// DispatchDays is the working days from 受理 to 派单 of a complaint;
	// ReplyDays from 派单 to the department's 回复.
	DispatchDays int
	ReplyDays    int
}

// Defaults of LoopConfig.
const (
	DefaultNoticeDays   = 3
	DefaultRedDays      = 3
	DefaultStallDays    = 3
	DefaultDispatchDays = 1
	DefaultReplyDays    = 5
)

// WithDefaults fills zero settings.
func (c LoopConfig) WithDefaults() LoopConfig {
	fill := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	fill(&c.NoticeDays, DefaultNoticeDays)
	fill(&c.RedDays, DefaultRedDays)
	fill(&c.StallDays, DefaultStallDays)
	fill(&c.DispatchDays, DefaultDispatchDays)
	fill(&c.ReplyDays, DefaultReplyDays)
	return c
}
