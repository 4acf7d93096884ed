package stats

import (
	"net/url"
	"time"

	"github.com/tongban/tongban"
)

// RatingGroups are the groupings a rating measures table is asked by.
var RatingGroups = map[string]tongban.RatingGroup{
	"org": tongban.ByRatingOrg, "region": tongban.ByRatingRegion, "listing": tongban.ByRatingListing,
	"channel": tongban.ByRatingChannel, "month": tongban.ByRatingMonth,
}

// RatingFilterFromQuery reads the rating measures' filter and grouping: the
// measures filter (FilterFromQuery: from, to, region, org, listing), by
// (org by default, region, listing, channel or month) and rating_channel.
// Ratings are not counted by item or application channel, so those are
// refused rather than ignored.
func RatingFilterFromQuery(q url.Values, now time.Time) (tongban.RollupFilter, tongban.RatingRollupFilter, tongban.RatingGroup, error) {
	f, err := FilterFromQuery(q, now)
	if err != nil {
		return f, tongban.RatingRollupFilter{}, "", err
	}
	if f.ItemID != 0 || f.Channel != "" {
		return f, tongban.RatingRollupFilter{}, "", tongban.FieldError("channel", RatingsNotFiltered+"；评价渠道请用 rating_channel")
	}
	by := q.Get("by")
	if by == "" {
		by = "org"
	}
	g, ok := RatingGroups[by]
	if !ok {
		return f, tongban.RatingRollupFilter{}, "", tongban.FieldError("by", "分组应为 org、region、listing、channel 或 month")
	}
	rf := tongban.RatingRollupFilter{From: f.From, To: f.To, Region: f.Region, OrgID: f.OrgID, ListingID: f.ListingID,
		Channel: tongban.RatingChannel(q.Get("rating_channel"))}
	if rf.Channel != "" && !rf.Channel.Valid() {
		return f, rf, g, tongban.FieldError("rating_channel", "评价渠道应为 web、mobile、window_device、qr 或 sms")
	}
	return f, rf, g, nil
}
