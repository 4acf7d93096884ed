package bench

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/tongban/tongban/internal/search"
)

// ReadItemNames reads the item_name column of the shared 广安区 catalog CSV.
func ReadItemNames(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := -1
	if len(recs) > 0 {
		for i, h := range recs[0] {
			if h == "item_name" {
				col = i
			}
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no item_name column", path)
	}
	names := make([]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		names = append(names, r[col])
	}
	return names, nil
}

// ScaledIndex builds an index over n listings scaled from the names.
func ScaledIndex(n int, names []string) *search.Index {
	ix := search.New()
	ix.Upsert(search.ScaledCatalog(n, names)...)
	return ix
}

type searchHit struct {
	ListingID   int64   `json:"listing_id"`
	ListingName string  `json:"listing_name"`
	ItemName    string  `json:"item_name"`
	OrgID       int64   `json:"org_id"`
	OrgName     string  `json:"org_name"`
	RegionCode  string  `json:"region_code"`
	Snippet     string  `json:"snippet"`
	Score       float64 `json:"score"`
}

type searchBody struct {
	Hits  []searchHit `json:"hits"`
	Total int         `json:"total"`
}

// SearchHandler serves GET /search over ix as JSON, with the query
// parameters of SearchQueries. It is the interim subject of the search
// scenario while Tongban has no search endpoint: the index and the JSON
// encoding, without Tongban's middleware.
func SearchHandler(ix *search.Index) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		limit, _ := strconv.Atoi(v.Get("limit"))
		res, err := ix.Search(search.Query{Text: v.Get("q"), Region: v.Get("region"), UserRegion: v.Get("user_region"),
			Audience: v.Get("audience"), Limit: limit})
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": "invalid", "message": err.Error()}})
			return
		}
		body := searchBody{Hits: make([]searchHit, len(res.Hits)), Total: res.Total}
		for i, h := range res.Hits {
			body.Hits[i] = searchHit(h)
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(body)
	})
	return mux
}

// SearchQueries is the query mix: names, parts of names, pinyin, initials,
// colloquial phrases, typos, filters, a citizen's region, very common
// characters and a browse page (as in internal/search's benchmark).
var SearchQueries = []url.Values{
	q("居民身份证"), q("社会保障卡补领"), q("户口迁移", "user_region", "511602000000"), q("食品经营"),
	q("建筑工程施工许可证核发"), q("婚姻登记", "user_region", "510107000000"), q("出生医学证明"),
	q("退休", "user_region", "511302000000"), q("残疾人证"), q("教师资格认定", "region", "5101"),
	q("jumin shenfenzheng"), q("shehuibaozhangka"), q("hunyindengji"), q("sbk"), q("jmsfz"), q("spjy"),
	q("开饭店"), q("社保"), q("生孩子"), q("身份证丢了怎么办"), q("营业执招"), q("食品经荣"), q("婚姻登计"),
	q("居民身份证证补领"), q("林木采伐", "region", "5101"), q("失业保险金", "audience", search.AudiencePerson),
	q("发票", "user_region", "510107000000"), q("许可"), q("证"), q("网约车"),
	q("", "region", "5116", "user_region", "511602000000"), // browse page
}

func q(text string, kv ...string) url.Values {
	v := url.Values{}
	if text != "" {
		v.Set("q", text)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
