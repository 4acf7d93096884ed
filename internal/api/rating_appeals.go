package api

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/rating"
)

// appealRoutes: a department appeals a 差评 (申诉), a supervisor decides;
// a 差评 is forwarded as a 12345 ticket.
func (a *API) appealRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/rectifications/{id}/appeal", Tag: "ratings", Access: staffOnly,
		Summary: "被评价部门的管理员对整改工单所涉差评提出申诉：ground 为 malicious（恶意差评）或 mistaken（误评），reason 写明事实和理由；" +
			"每条评价只能申诉一次，由监察人员裁定",
		In: rating.AppealInput{}, Out: tongban.RatingAppeal{}, Status: http.StatusCreated, Limit: 64 << 10, handle: a.appeal})
	a.add(Route{Method: "GET", Path: "/api/v1/appeals", Tag: "ratings", Access: staffOnly,
		Summary: "申诉：被评价部门的管理员和裁定的监察人员可见；默认只列待裁定的，all=true 列出全部（记录永久保留）",
		Query:   []Param{{Name: "all", Description: "true：包括已裁定的申诉"}},
		Out:     []tongban.RatingAppeal{}, handle: a.appeals})
	a.add(Route{Method: "POST", Path: "/api/v1/appeals/{id}/decision", Tag: "ratings", Access: staffOnly,
		Summary: "监察人员裁定申诉：upheld=true 申诉成立，该评价不再计入好评率、差评率（单列为 excluded），未办结的整改工单以核实无效关闭；" +
			"upheld=false 申诉不成立；text 为裁定理由，version 为所裁定的申诉版本",
		In: rating.AppealDecision{}, Out: tongban.RatingAppeal{}, Limit: 64 << 10, handle: a.decideAppeal})
	a.add(Route{Method: "POST", Path: "/api/v1/rectifications/{id}/forward", Tag: "complaints", Access: staffOnly,
		Summary: "差评转办：12345热线或监察人员将整改工单所涉差评转为投诉工单，直接派单至被评价部门；每条差评只能转办一次",
		Out:     rating.ComplaintView{}, Status: http.StatusCreated, handle: a.forwardRating})
}

func (a *API) appeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rating.AppealInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.Appeal(r.Context(), a.request(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (a *API) appeals(w http.ResponseWriter, r *http.Request) error {
	out, err := a.Ratings.Appeals(r.Context(), a.request(r), r.URL.Query().Get("all") == "true")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (a *API) decideAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rating.AppealDecision
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.DecideAppeal(r.Context(), a.request(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) forwardRating(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := a.Ratings.ForwardRating(r.Context(), a.request(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}
