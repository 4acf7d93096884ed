package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sqldb"
	"github.com/tongban/tongban/internal/storetest"
)

var cellTags = regexp.MustCompile(`<[^>]+>`)

// ratingCells returns the cells of the row of the 好差评指标 table whose
// first cell is name, tags stripped; nil if there is none.
func ratingCells(page, name string) []string {
	i := strings.Index(page, `id="measures-ratings"`)
	if i < 0 {
		return nil
	}
	table := page[i : i+strings.Index(page[i:], "</table>")]
	for _, tr := range strings.Split(table, "<tr>")[1:] {
		tr = tr[:strings.Index(tr, "</tr>")]
		var cells []string
		for _, c := range regexp.MustCompile(`</t[dh]>`).Split(tr, -1) {
			if c = strings.TrimSpace(cellTags.ReplaceAllString(c, "")); c != "" || len(cells) > 0 {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 && cells[0] == name {
			return cells[:len(cells)-1] // the split leaves an empty tail
		}
	}
	return nil
}

// The 好差评指标 on /console/measures against a hand count, on both
// engines: January 2019 of two departments, by department, by region, by
// rating channel, by listing, under one rating channel or listing, and by
// month; the upheld appeal shown apart beside 好评率 in the main table and
// on the public 成绩单 too.
func TestRatingMeasuresOnThePageByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, d sqldb.Dialect) {
		b, a := siteOn(t, d)
		ctx := context.Background()
		org := func(name string) *tongban.Org {
			orgs, err := a.Store.Orgs(ctx, tongban.OrgFilter{Name: name})
			if err != nil || len(orgs) != 1 {
				t.Fatalf("%s: %v %v", name, orgs, err)
			}
			return orgs[0]
		}
		city, district := org("广安市市场监督管理局"), org("广安区市场监督管理局")
		cell := func(o *tongban.Org, day string, ch tongban.RatingChannel) tongban.RatingRollupKey {
			return tongban.RatingRollupKey{Day: day, RegionCode: o.RegionCode, OrgID: o.ID, ListingID: 1, Channel: ch}
		}
		// By hand. 广安市市场监督管理局 in January: on the web a 非常满意, a
		// 不满意 (ticket, 回访核实, 整改 on time, the answer judged 满意) and a
		// 非常不满意 whose appeal was upheld (out of the figures, its ticket
		// closed 核实无效 on time); by QR a 满意; by SMS a 非常不满意 (ticket,
		// 回访核实, 整改 late, the answer judged 不满意). 广安区 a 基本满意 on
		// the web in January and a 差评 on mobile in February.
		err := a.Store.Transact(ctx, func(tx tongban.Store) error {
			wm, err := tx.RatingRollupWatermark(ctx)
			if err != nil {
				return err
			}
			return tx.ApplyRatingRollups(ctx, map[tongban.RatingRollupKey]tongban.RatingRollupCounts{
				cell(city, "2019-01-10", tongban.RatingWeb): {Rated: 2, Good: 1, Bad: 1, Excluded: 1, Tickets: 2, Visited: 1,
					Closed: 2, ClosedOnTime: 2, Verdicts: 1, VerdictsSatisfied: 1},
				cell(city, "2019-01-12", tongban.RatingQR):         {Rated: 1, Good: 1},
				cell(city, "2019-01-20", tongban.RatingSMS):        {Rated: 1, Bad: 1, Tickets: 1, Visited: 1, Closed: 1, Verdicts: 1},
				cell(district, "2019-01-15", tongban.RatingWeb):    {Rated: 1},
				cell(district, "2019-02-03", tongban.RatingMobile): {Rated: 1, Bad: 1, Tickets: 1},
			}, wm)
		})
		if err != nil {
			t.Fatal(err)
		}
		b.signIn("supervisor")
		get := func(q string) string {
			t.Helper()
			status, page := b.get("/console/measures?from=2019-01-01&to=2019-01-31" + q)
			if status != http.StatusOK {
				t.Fatalf("measures%s: %d %s", q, status, errorOf(page))
			}
			return page
		}
		check := func(what string, got []string, want ...string) {
			t.Helper()
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s:\n got %q\nwant %q", what, got, want)
			}
		}
		// columns: rated, 好评率, 差评率, excluded, tickets, 实名差评回访率,
		// 差评整改率, 差评整改按时率, 答复满意率
		page := get("")
		check("city", ratingCells(page, "广安市市场监督管理局"),
			"广安市市场监督管理局", "4", "50.0%", "50.0%", "1", "3", "66.7%", "100.0%", "66.7%", "50.0%")
		check("district", ratingCells(page, "广安区市场监督管理局"),
			"广安区市场监督管理局", "1", "0.0%", "0.0%", "0", "0", "—", "—", "—", "—")
		check("total", ratingCells(page, "合计"),
			"合计", "5", "40.0%", "40.0%", "1", "3", "66.7%", "100.0%", "66.7%", "50.0%")
		mustContain(t, "beside 好评率", page, "4 条评价 · 申诉成立不计 1")

		byRegion := get("&rating_by=region")
		check("广安市", ratingCells(byRegion, "广安市"), "广安市", "4", "50.0%", "50.0%", "1", "3", "66.7%", "100.0%", "66.7%", "50.0%")
		check("广安区", ratingCells(byRegion, "广安区"), "广安区", "1", "0.0%", "0.0%", "0", "0", "—", "—", "—", "—")

		byChannel := get("&rating_by=channel")
		check("web", ratingCells(byChannel, "网站"), "网站", "3", "33.3%", "33.3%", "1", "2", "50.0%", "100.0%", "100.0%", "100.0%")
		check("qr", ratingCells(byChannel, "二维码"), "二维码", "1", "100.0%", "0.0%", "0", "0", "—", "—", "—", "—")
		check("sms", ratingCells(byChannel, "短信"), "短信", "1", "0.0%", "100.0%", "0", "1", "100.0%", "100.0%", "0.0%", "0.0%")

		sms := get("&rating_channel=sms")
		check("sms only", ratingCells(sms, "合计"), "合计", "1", "0.0%", "100.0%", "0", "1", "100.0%", "100.0%", "0.0%", "0.0%")
		if ratingCells(sms, "广安区市场监督管理局") != nil {
			t.Errorf("a department with no SMS rating is listed under the SMS filter")
		}

		status, months := b.get("/console/measures?from=2019-01-01&to=2019-02-28&rating_by=month")
		if status != http.StatusOK {
			t.Fatalf("by month: %d", status)
		}
		check("January", ratingCells(months, "2019-01"), "2019-01", "5", "40.0%", "40.0%", "1", "3", "66.7%", "100.0%", "66.7%", "50.0%")
		check("February", ratingCells(months, "2019-02"), "2019-02", "1", "0.0%", "100.0%", "0", "1", "0.0%", "0.0%", "—", "—")

		// By listing: every cell is of listing 1; another listing has none.
		byListing := get("&rating_by=listing")
		check("by listing", ratingCells(byListing, "合计"), "合计", "5", "40.0%", "40.0%", "1", "3", "66.7%", "100.0%", "66.7%", "50.0%")
		mustContain(t, "another listing", get("&listing=2"), `id="measures-ratings-none"`)

		// The public 成绩单 prints the upheld appeal beside 好评率 too.
		_, public := b.get("/ratings?month=2019-01")
		i := strings.Index(public, "<td>广安市市场监督管理局</td>")
		if i < 0 || !strings.Contains(public[i:i+strings.Index(public[i:], "</tr>")], "申诉成立不计 1") {
			t.Errorf("the public row of 广安市市场监督管理局 does not print the excluded rating")
		}

		// Ratings are not counted by application channel: the table says so.
		mustContain(t, "channel filter", get("&channel=online"), `id="measures-ratings-note"`, "评价数据不按事项或办理渠道筛选")
		if status, page := b.get("/console/measures?rating_by=weekday"); status != http.StatusBadRequest || !strings.Contains(page, "分组应为") {
			t.Errorf("an unknown grouping: %d", status)
		}
	})
}
