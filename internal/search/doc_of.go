package search

import (
	"slices"
	"strings"

	"github.com/tongban/tongban"
)

// Channels are the values of the channel filter: how a listing can be done.
// A listing has every channel that applies to it.
const (
	ChannelFullyOnline = "全程网办" // no trip at all
	ChannelOnline      = "网上申请" // can be started online (any depth but 现场办理)
	ChannelCounter     = "窗口办理" // has a place to go to
	ChannelExpress     = "快递送达" // results (and papers) by post
	ChannelAppointment = "预约办理"
	ChannelCrossRegion = "跨域通办"
)

// Channels lists the channel filter's values in the order pages offer them.
var Channels = []string{ChannelFullyOnline, ChannelOnline, ChannelCounter, ChannelExpress, ChannelAppointment, ChannelCrossRegion}

// DocOf is what the index knows about a listing of item: the names citizens
// search for (listing, item, the item's aliases and the result's name: people
// ask for 营业执照, not 企业设立登记), the material names and FAQ, and what
// the filters need.
func DocOf(l *tongban.Listing, it *tongban.Item, popularity int64) Doc {
	d := Doc{
		ListingID: l.ID, ListingName: l.Name, OrgID: l.OrgID, OrgName: l.OrgName,
		RegionCode: l.RegionCode, Popularity: popularity, Channels: channelsOf(l),
	}
	if it != nil {
		d.ItemName = it.Name
		d.Aliases = slices.Clone(it.Aliases)
		d.Audience = audienceOf(it.Audience)
		for _, t := range append(slices.Clone(it.PersonThemes), it.EnterpriseThemes...) {
			if !slices.Contains(d.Themes, t) {
				d.Themes = append(d.Themes, t)
			}
		}
	}
	if r := strings.TrimSpace(l.Result.Name); r != "" && !strings.Contains(d.ListingName, r) &&
		!strings.Contains(d.ItemName, r) && !slices.Contains(d.Aliases, r) {
		d.Aliases = append(d.Aliases, r)
	}
	for _, m := range l.Materials {
		d.Materials = append(d.Materials, m.Name)
	}
	for _, qa := range l.FAQ {
		d.FAQ = append(d.FAQ, qa.Question+" "+qa.Answer)
	}
	return d
}

func audienceOf(a tongban.Audience) string {
	switch a {
	case tongban.AudiencePerson:
		return AudiencePerson
	case tongban.AudienceEnterprise:
		return AudienceEntity
	}
	return "" // both, or not said: shown to everybody
}

func channelsOf(l *tongban.Listing) []string {
	var cs []string
	if l.OnlineDepth == tongban.DepthFullyOnline {
		cs = append(cs, ChannelFullyOnline)
	}
	if l.OnlineDepth.Online() {
		cs = append(cs, ChannelOnline)
	}
	if strings.TrimSpace(l.Place) != "" {
		cs = append(cs, ChannelCounter)
	}
	if l.Flags.Express {
		cs = append(cs, ChannelExpress)
	}
	if l.Flags.Appointment {
		cs = append(cs, ChannelAppointment)
	}
	if l.Flags.CrossRegion {
		cs = append(cs, ChannelCrossRegion)
	}
	return cs
}
