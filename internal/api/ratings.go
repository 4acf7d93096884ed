package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/rating"
)

// ratingRoutes: 好差评 — the applicant rates an encounter of their case;
// the rated department answers the 整改 ticket a 差评 opens.
func (a *API) ratingRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/cases/{number}/ratings", Tag: "ratings", Access: signedIn,
		Summary: "好差评：申请人评价本人办件的一次服务。encounter 为 case（一事一评，办件作出决定或办结后）或一次到场服务的事件编号" +
			"（一次一评）；channel 为 web、mobile、window_device、qr 或 sms；level 1（非常不满意）到 5（非常满意），1、2 为差评，" +
			"须从标准原因中选择 reasons 或在 comment 中写明；indicators 为该渠道的评价指标（网上：办事效率、指南准确、办事便捷、平台操作；" +
			"窗口评价器：服务效率、服务水平、服务态度）各 1 到 5 分。每次服务只能评价一次（再次评价 409）；工作人员不能代评（403）；" +
			"差评即生成整改工单，回访核实与整改期限按工作日计",
		In: rating.Input{}, Out: rating.Rated{}, Status: http.StatusCreated, Limit: 64 << 10, handle: a.rate})
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}/ratings", Tag: "ratings", Access: signedIn,
		Summary: "申请人查看本人办件的评价及其整改工单的进展与答复", Out: []rating.Rated{}, handle: a.myRatings})
	a.add(Route{Method: "PUT", Path: "/api/v1/cases/{number}/ratings/{encounter}", Tag: "ratings", Access: signedIn,
		Summary: "申请人在评价后的修改期限内（默认 7 天）修改本人的评价；改为差评时生成整改工单，已有的工单保留",
		In:      rating.Input{}, Out: rating.Rated{}, Limit: 64 << 10, handle: a.changeRating})
	a.add(Route{Method: "GET", Path: "/api/v1/rectifications", Tag: "ratings", Access: staffOnly,
		Summary: "差评整改工单：被评价部门的管理员和监察人员可见（不含评价人身份）；默认只列未办结的，all=true 列出全部",
		Query:   []Param{{Name: "all", Description: "true：包括已整改和核实无效的工单"}},
		Out:     []rating.TicketView{}, handle: a.tickets})
	a.add(Route{Method: "GET", Path: "/api/v1/rectifications/{id}", Tag: "ratings", Access: staffOnly,
		Summary: "一张差评整改工单", Out: rating.TicketView{}, handle: a.ticket})
	a.add(Route{Method: "POST", Path: "/api/v1/rectifications/{id}/answer", Tag: "ratings", Access: staffOnly,
		Summary: "被评价部门答复整改工单：action=verify（回访核实；valid=true 属实转入整改中，valid=false 核实无效，text 为书面解释说明）" +
			"或 action=rectify（整改完成，text 为整改情况）；version 为所答复的工单版本",
		In: rating.Answer{}, Out: rating.TicketView{}, Limit: 64 << 10, handle: a.answerTicket})
}

func (a *API) rate(w http.ResponseWriter, r *http.Request) error {
	var in rating.Input
	if err := decode(w, r, &in); err != nil {
		return err
	}
	in.FromClient = true
	out, err := a.Ratings.Submit(r.Context(), a.request(r), r.PathValue("number"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (a *API) myRatings(w http.ResponseWriter, r *http.Request) error {
	out, err := a.Ratings.Mine(r.Context(), a.request(r), r.PathValue("number"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) changeRating(w http.ResponseWriter, r *http.Request) error {
	var in rating.Input
	if err := decode(w, r, &in); err != nil {
		return err
	}
	in.FromClient = true
	out, err := a.Ratings.Change(r.Context(), a.request(r), r.PathValue("number"), r.PathValue("encounter"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) tickets(w http.ResponseWriter, r *http.Request) error {
	out, err := a.Ratings.Tickets(r.Context(), a.request(r), r.URL.Query().Get("all") == "true")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) ticket(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := a.Ratings.Ticket(r.Context(), a.request(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) answerTicket(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rating.Answer
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.Respond(r.Context(), a.request(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
