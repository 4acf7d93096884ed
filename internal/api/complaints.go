package api

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/rating"
	"github.com/tongban/tongban/internal/stats"
)

// complaintRoutes: 12345 and 办不成事 — complaints run 受理 → 派单 → 办理 →
// 回复 → 回访 → 评价 with working-day deadlines.
func (a *API) complaintRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/complaints", Tag: "complaints", Access: signedIn,
		Summary: "受理投诉或办不成事反映，返回工单号（TS+受理日期+序号）：kind 为 complaint（投诉）或 cannot_do（办不成事）；" +
			"12345热线系统（12345热线角色的 API 令牌）或窗口人员须填写反映人 name 和 phone，热线可填 external_ref（热线自己的工单编号）；" +
			"群众本人登录提交时取账号信息，case_number 只能是本人的办件；未填办件时以 region_code 或受理人员所在地区归属；" +
			"派单期限按工作日计（默认 1 个工作日）",
		In: rating.ComplaintInput{}, Out: rating.ComplaintView{}, Status: http.StatusCreated, Limit: 64 << 10, handle: a.fileComplaint})
	a.add(Route{Method: "GET", Path: "/api/v1/complaints", Tag: "complaints", Access: signedIn,
		Summary: "投诉工单：群众看本人的；承办部门管理员看派给本部门的；12345热线和监察人员看本地区的。反映人姓名和电话脱敏。" +
			"默认只列未评价的，all=true 列出全部",
		Query: []Param{{Name: "all", Description: "true：包括已评价办结的工单"}},
		Out:   []tongban.Complaint{}, handle: a.complaints})
	a.add(Route{Method: "GET", Path: "/api/v1/complaints/{number}", Tag: "complaints", Access: signedIn,
		Summary: "一张投诉工单及其每一步（受理、派单、办理、回复、回访、评价）；无权查看时答复 404",
		Out:     rating.ComplaintView{}, handle: a.complaint})
	a.add(Route{Method: "POST", Path: "/api/v1/complaints/{number}/steps", Tag: "complaints", Access: signedIn,
		Summary: "投诉工单的下一步：action=dispatch（派单，org_id 为承办部门；12345热线或监察人员，可改派）、handle（承办部门签收办理）、" +
			"reply（承办部门回复，text 为答复）、return（承办部门退单，text 为理由，工单回到已受理由12345热线重新派单）、visit（12345热线或监察人员回访，text 为回访情况）、rate（评价，level 4 满意、3 基本满意、2 不满意；" +
			"反映人本人，或回访人员记录反映人的评价；首次不满意即重办：退回承办部门并重新计算回复期限，再次不满意则办结）；回复期限自派单起按工作日计（默认 5 个工作日）；version 为所处理的工单版本",
		In: rating.Step{}, Out: rating.ComplaintView{}, Limit: 64 << 10, handle: a.complaintStep})
	a.add(Route{Method: "GET", Path: "/api/v1/stats/complaints", Tag: "complaints", Access: staffOnly,
		Summary: "投诉指标（来自工单事件）：按承办部门列出受理量、派单量、回复量、按时回复量与按时回复率、评价量与满意率、退单量、重办量；org_id 为 0 的一行是尚未派单的受理量",
		Query: []Param{{Name: "from", Description: "起始日 YYYY-MM-DD，默认本季度第一天"},
			{Name: "to", Description: "截止日 YYYY-MM-DD（含），默认今天"},
			{Name: "region", Description: "行政区划代码；默认为本人负责的地区"}},
		Out: rating.ComplaintMeasures{}, handle: a.complaintMeasures})
}

func (a *API) fileComplaint(w http.ResponseWriter, r *http.Request) error {
	var in rating.ComplaintInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.FileComplaint(r.Context(), a.request(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (a *API) complaints(w http.ResponseWriter, r *http.Request) error {
	out, err := a.Ratings.Complaints(r.Context(), a.request(r), r.URL.Query().Get("all") == "true")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (a *API) complaint(w http.ResponseWriter, r *http.Request) error {
	out, err := a.Ratings.Complaint(r.Context(), a.request(r), r.PathValue("number"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) complaintStep(w http.ResponseWriter, r *http.Request) error {
	var in rating.Step
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.Advance(r.Context(), a.request(r), r.PathValue("number"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) complaintMeasures(w http.ResponseWriter, r *http.Request) error {
	f, err := stats.FilterFromQuery(r.URL.Query(), a.Ratings.Clock.Now())
	if err != nil {
		return err
	}
	from, _ := calendar.ParseDate(f.From)
	to, _ := calendar.ParseDate(f.To)
	out, err := a.Ratings.MeasureComplaints(r.Context(), a.request(r), r.URL.Query().Get("region"), from.Time(), to.AddDays(1).Time())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
