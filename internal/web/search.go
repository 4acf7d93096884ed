package web

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/search"
)

// searchPerPage is how many items a results page lists.
const searchPerPage = 10

// searchPage is the public search: results one item per entry, led by the
// listing that serves the citizen; without a query and filters it is the
// browse page (by life event, by department, most used).
type searchPage struct {
	Base
	Q, Region, Theme, Audience, Channel string
	Org                                 int64
	Regions                             []*tongban.Region // the filter's choices: city and districts
	Orgs                                []search.Facet
	Channels                            []string
	NearName                            string // the citizen's region, when it chose the default

	Browse           bool
	PersonThemes     []search.Facet
	EnterpriseThemes []search.Facet
	OrgGroups        []searchOrgGroup
	Popular          []searchResult
	BundleGroups     []bundleHitGroup // 一件事 by life event

	// Bundles are the 一件事 the query is about, shown above the listings.
	Bundles []search.BundleHit

	Results    []searchResult
	Total      int // items found (at most the ranked candidates)
	Page       int
	PrevURL    template.URL
	NextURL    template.URL
	FilterDesc []string
	Error      string
}

type searchResult struct {
	ListingID   int64
	Title       template.HTML // the name highlighted, when the match is in the name
	ListingName string
	ItemName    string
	OrgName     string
	Region      string
	Snippet     template.HTML
	Others      []searchOther
}

type searchOther struct {
	ListingID int64
	Region    string
	OrgName   string
}

// searchOrgGroup lists the departments of one region, for browsing.
type searchOrgGroup struct {
	Region string
	Orgs   []search.Facet
}

func (w *Web) searchPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := r.URL.Query()
	p := &searchPage{Base: w.base(rw, r, "事项搜索"), Q: strings.TrimSpace(v.Get("q")), Theme: strings.TrimSpace(v.Get("theme")),
		Channels: search.Channels, Page: 1}
	if p.Q != "" {
		p.Title = p.Q + " · " + p.Title
	}
	regions, err := w.Store.Regions(ctx, "")
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, reg := range regions {
		names[reg.Code] = reg.Name
		if reg.Level == tongban.LevelCity || reg.Level == tongban.LevelCounty {
			p.Regions = append(p.Regions, reg)
		}
	}
	status := http.StatusOK
	fail := func(msg string) { p.Error, status = msg, http.StatusBadRequest }

	// Filters. The region defaults to the signed-in applicant's own, when
	// this city has it; "region=" (全部地区) turns that off.
	near := search.CitizenRegion(httpx.User(ctx))
	if v.Has("region") {
		p.Region = strings.TrimSpace(v.Get("region"))
	} else if _, ok := names[near]; ok {
		p.Region, p.NearName = near, names[near]
	}
	if p.Region != "" {
		if _, ok := names[p.Region]; !ok {
			fail("请选择列表中的地区")
			p.Region = ""
		}
	}
	if s := v.Get("org"); s != "" {
		if p.Org, err = strconv.ParseInt(s, 10, 64); err != nil || p.Org <= 0 {
			fail("请选择列表中的部门")
			p.Org = 0
		}
	}
	switch a := v.Get("audience"); a {
	case "", search.AudiencePerson, search.AudienceEntity:
		p.Audience = a
	default:
		fail("服务对象只能是个人或法人")
	}
	if c := v.Get("channel"); c == "" || slices.Contains(search.Channels, c) {
		p.Channel = c
	} else {
		fail("请选择列表中的办理渠道")
	}
	if s := v.Get("page"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= search.MaxLimit/searchPerPage {
			p.Page = n
		}
	}
	if p.Orgs, err = w.Search.Orgs(""); err != nil {
		return err
	}
	if p.Region != "" {
		near = p.Region
	}

	q := search.Query{Text: p.Q, UserRegion: near, OrgID: p.Org, Theme: p.Theme, Audience: p.Audience, Channel: p.Channel}
	p.Browse = p.Q == "" && p.Org == 0 && p.Theme == "" && p.Audience == "" && p.Channel == ""
	if p.Browse {
		if err := w.searchBrowse(ctx, p, q, names); err != nil {
			return err
		}
		return w.render(rw, r, status, "search", p)
	}
	if p.Page == 1 && p.Org == 0 && p.Channel == "" {
		p.Bundles = w.bundleHits(p)
	}
	groups, _, err := w.Search.SearchItems(q, p.Region)
	if err != nil {
		if tongban.ErrorCodeOf(err) != tongban.EInvalid {
			return err
		}
		fail(tongban.AsError(err).Message)
	}
	p.Total = len(groups)
	from := (p.Page - 1) * searchPerPage
	for i := from; i < len(groups) && i < from+searchPerPage; i++ {
		p.Results = append(p.Results, resultOf(groups[i], names))
	}
	p.pageLinks(v, len(groups))
	p.describeFilters(names)
	return w.render(rw, r, status, "search", p)
}

// searchBrowse fills the browse page: themes with how many items each has,
// the departments by region, and the items most applied for.
func (w *Web) searchBrowse(ctx context.Context, p *searchPage, q search.Query, names map[string]string) error {
	themes, err := w.Search.Themes("")
	if err != nil {
		return err
	}
	p.BundleGroups = groupBundleHits(w.Search.AllBundles())
	count := map[string]search.Facet{}
	for _, f := range themes {
		count[f.Name] = f
	}
	for _, t := range tongban.PersonThemes {
		if f, ok := count[t]; ok {
			p.PersonThemes = append(p.PersonThemes, f)
		}
	}
	for _, t := range tongban.EnterpriseThemes {
		if f, ok := count[t]; ok {
			p.EnterpriseThemes = append(p.EnterpriseThemes, f)
		}
	}
	// Departments under the region they serve, the city first.
	byRegion := map[string]int{}
	for _, reg := range p.Regions {
		byRegion[reg.Code] = len(p.OrgGroups)
		p.OrgGroups = append(p.OrgGroups, searchOrgGroup{Region: reg.Name})
	}
	orgRegion, err := w.orgRegions(ctx)
	if err != nil {
		return err
	}
	for _, f := range p.Orgs {
		if i, ok := byRegion[orgRegion[f.OrgID]]; ok {
			p.OrgGroups[i].Orgs = append(p.OrgGroups[i].Orgs, f)
		}
	}
	groups, _, err := w.Search.SearchItems(q, p.Region)
	if err != nil {
		return err
	}
	// Only what was applied for: without cases yet, there is no "most used".
	for i := 0; i < len(groups) && i < 8 && groups[i].Score > 0; i++ {
		p.Popular = append(p.Popular, resultOf(groups[i], names))
	}
	return nil
}

// orgRegions maps each org with listings to its region.
func (w *Web) orgRegions(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	orgs, err := w.Store.Orgs(ctx, tongban.OrgFilter{})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		out[o.ID] = o.RegionCode
	}
	return out, nil
}

func resultOf(g search.Group, names map[string]string) searchResult {
	res := searchResult{ListingID: g.ListingID, ListingName: g.ListingName, ItemName: g.ItemName, OrgName: g.OrgName,
		Region:  regionName(names, g.RegionCode),
		Snippet: template.HTML(g.Snippet)} // the index escapes the text and adds only <mark>
	if stripMarks(g.Snippet) == html.EscapeString(g.ListingName) {
		res.Title, res.Snippet = res.Snippet, "" // the snippet is the name itself
	}
	for _, o := range g.Others {
		res.Others = append(res.Others, searchOther{ListingID: o.ListingID, Region: regionName(names, o.RegionCode), OrgName: o.OrgName})
	}
	return res
}

func stripMarks(s string) string {
	return strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
}

func regionName(names map[string]string, code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// pageLinks keeps every parameter but the page.
func (p *searchPage) pageLinks(v url.Values, n int) {
	link := func(page int) template.URL {
		u := url.Values{}
		for k, vs := range v {
			if k != "page" {
				u[k] = vs
			}
		}
		u.Set("page", strconv.Itoa(page))
		return template.URL("/search?" + u.Encode())
	}
	if p.Page > 1 {
		p.PrevURL = link(p.Page - 1)
	}
	if p.Page*searchPerPage < n {
		p.NextURL = link(p.Page + 1)
	}
}

// describeFilters names the filters in force, for the line above results.
func (p *searchPage) describeFilters(names map[string]string) {
	if p.Region != "" {
		p.FilterDesc = append(p.FilterDesc, names[p.Region])
	}
	if p.Org != 0 {
		for _, f := range p.Orgs {
			if f.OrgID == p.Org {
				p.FilterDesc = append(p.FilterDesc, f.Name)
			}
		}
	}
	for _, s := range []string{p.Theme, p.Audience, p.Channel} {
		if s != "" {
			p.FilterDesc = append(p.FilterDesc, s)
		}
	}
}

func init() {
	// searchResultOf pairs a result with the page's language for the
	// search_result partial.
	funcs["searchResultOf"] = func(l Lang, r searchResult) any {
		return struct {
			Lang Lang
			R    searchResult
		}{l, r}
	}
}
