package stats

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// FilterFromQuery reads a measures filter from a query string, the same for
// the API and the page: from, to (YYYY-MM-DD; this quarter so far by
// default), region (12 digits), org, item, listing (IDs) and channel. A bad
// value is an EInvalid naming its parameter; none is silently dropped.
func FilterFromQuery(q url.Values, now time.Time) (tongban.RollupFilter, error) {
	f := tongban.RollupFilter{From: q.Get("from"), To: q.Get("to"), Channel: tongban.Channel(q.Get("channel"))}
	from, to := Quarter(now)
	if f.From == "" {
		f.From = from
	}
	if f.To == "" {
		f.To = to
	}
	for _, p := range []struct{ name, day string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(time.DateOnly, p.day); err != nil {
			return f, tongban.FieldError(p.name, "日期应为 YYYY-MM-DD")
		}
	}
	if f.From > f.To {
		return f, tongban.FieldError("to", "截止日不能早于起始日")
	}
	if f.Channel != "" && !f.Channel.Valid() {
		return f, tongban.FieldError("channel", "办理渠道无效：%s", f.Channel)
	}
	if r := strings.TrimSpace(q.Get("region")); r != "" {
		if len(r) != 12 || strings.Trim(r, "0123456789") != "" {
			return f, tongban.FieldError("region", "行政区划代码应为12位数字")
		}
		f.Region = r
	}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"org", &f.OrgID}, {"item", &f.ItemID}, {"listing", &f.ListingID}} {
		s := q.Get(p.name)
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, tongban.FieldError(p.name, "应为正整数 ID")
		}
		*p.dst = id
	}
	return f, nil
}
