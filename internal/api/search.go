package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/search"
)

// searchHit is one ranked listing.
type searchHit struct {
	ListingID   int64   `json:"listing_id"`
	ListingName string  `json:"listing_name"`
	ItemName    string  `json:"item_name"`
	OrgID       int64   `json:"org_id"`
	OrgName     string  `json:"org_name"`
	RegionCode  string  `json:"region_code"`
	Snippet     string  `json:"snippet"` // HTML: escaped text, the matched characters in <mark>
	Score       float64 `json:"score"`   // comparable within one response only
}

type searchResult struct {
	Total int         `json:"total"` // listings that matched
	Hits  []searchHit `json:"hits"`  // best first
}

func (a *API) searchRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/search", Tag: "search",
		Summary: "事项搜索：中文、全拼、首字母、俗称和错一个字都能找到，按相关度排序（最相关的在前）；q 为空时按办件量列出",
		Query: []Param{
			{Name: "q", Description: "搜索内容，如 营业执照、yyzz、开饭店；最多 200 字"},
			{Name: "region", Description: "行政区划代码：只要该区划及其下级的清单，如 511602000000 或 5116"},
			{Name: "near", Description: "行政区划代码：该地的清单排在前面；不填时登录的申请人按其身份证或信用代码所在区县"},
			{Name: "audience", Description: "服务对象：个人 (person) 或 法人 (enterprise)"},
			{Name: "org", Description: "实施部门 ID"},
			{Name: "theme", Description: "主题，如 出生、开办"},
			{Name: "channel", Description: "办理渠道：" + strings.Join(search.Channels, "、")},
			{Name: "limit", Description: "条数，默认 10，最多 100"},
			{Name: "offset", Description: "跳过条数，最多 1000"},
		},
		Out: searchResult{}, handle: a.search})
}

func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	if a.Search == nil {
		return tongban.Errorf(tongban.EUnavailable, "搜索暂不可用")
	}
	q, err := searchQuery(r)
	if err != nil {
		return err
	}
	res, err := a.Search.Search(q)
	if err != nil {
		return renameSearchField(err)
	}
	out := searchResult{Total: res.Total, Hits: make([]searchHit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, searchHit{ListingID: h.ListingID, ListingName: h.ListingName, ItemName: h.ItemName,
			OrgID: h.OrgID, OrgName: h.OrgName, RegionCode: h.RegionCode, Snippet: h.Snippet, Score: h.Score})
	}
	return writeAppended(w, http.StatusOK, func(b []byte) ([]byte, bool) { return appendSearchResult(b, &out) }, &out)
}

// searchQuery reads the parameters; a bad one is a 400 naming it. Range
// checks on limit, offset and the region codes are the index's.
func searchQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	q := search.Query{Text: v.Get("q"), Region: strings.TrimSpace(v.Get("region")), Theme: strings.TrimSpace(v.Get("theme")),
		UserRegion: strings.TrimSpace(v.Get("near"))}
	if q.UserRegion == "" {
		q.UserRegion = search.CitizenRegion(httpx.User(r.Context()))
	}
	var err error
	if q.Limit, err = searchInt(v.Get("limit"), "limit", "条数应为 1 到 100 之间的整数"); err != nil {
		return q, err
	}
	if v.Get("limit") != "" && q.Limit < 1 {
		return q, tongban.FieldError("limit", "条数应为 1 到 100 之间的整数")
	}
	if q.Offset, err = searchInt(v.Get("offset"), "offset", "跳过条数应为 0 到 1000 之间的整数"); err != nil {
		return q, err
	}
	if s := v.Get("org"); s != "" {
		if q.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil || q.OrgID <= 0 {
			return q, tongban.FieldError("org", "实施部门 ID 应为正整数")
		}
	}
	if s := strings.TrimSpace(v.Get("audience")); s != "" {
		if q.Audience = audienceParam(s); q.Audience == "" {
			return q, tongban.FieldError("audience", "服务对象应为 个人 (person) 或 法人 (enterprise)")
		}
	}
	if s := strings.TrimSpace(v.Get("channel")); s != "" {
		if !slices.Contains(search.Channels, s) {
			return q, tongban.FieldError("channel", "办理渠道应为 %s 之一", strings.Join(search.Channels, "、"))
		}
		q.Channel = s
	}
	return q, nil
}

func searchInt(s, field, msg string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, tongban.FieldError(field, "%s", msg)
	}
	return n, nil
}

func audienceParam(s string) string {
	switch strings.ToLower(s) {
	case "个人", "自然人", "person", "citizen":
		return search.AudiencePerson
	case "法人", "企业", "enterprise", "entity":
		return search.AudienceEntity
	}
	return ""
}

// renameSearchField names the query parameters the index's errors refer to.
func renameSearchField(err error) error {
	e := tongban.AsError(err)
	switch e.Field {
	case "text":
		return tongban.FieldError("q", "%s", e.Message)
	case "user_region":
		return tongban.FieldError("near", "%s", e.Message)
	}
	return err
}
