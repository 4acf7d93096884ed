package stats

import (
	"net/url"
	"time"

	"github.com/tongban/tongban"
)

// ScoreFilterFromQuery reads the 成绩单's period and region: month
// (YYYY-MM) for a calendar month, else from and to as FilterFromQuery reads
// them (this quarter so far by default), and region or org. The ranking
// weighs whole departments, so item, listing and channel are refused by
// name rather than ignored.
func ScoreFilterFromQuery(q url.Values, now time.Time) (tongban.RollupFilter, error) {
	for _, name := range []string{"item", "listing", "channel"} {
		if q.Get(name) != "" {
			return tongban.RollupFilter{}, tongban.FieldError(name, "成绩单按部门和区县整体排名，不按事项、实施清单或办理渠道筛选")
		}
	}
	f, err := FilterFromQuery(q, now)
	if err != nil {
		return f, err
	}
	if m := q.Get("month"); m != "" {
		first, err := ParseMonth(m, now)
		if err != nil {
			return f, err
		}
		f.From, f.To = first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	return f, nil
}
