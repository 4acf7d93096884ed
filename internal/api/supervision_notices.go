package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/rating"
)

// supervisionNoticeRoutes: 督办 — supervisors demand an answer of a department about
// an overdue or stalled case, an overdue 差评 ticket or complaint.
func (a *API) supervisionNoticeRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/supervision-notices", Tag: "supervision", Access: staffOnly,
		Summary: "督办：被督办部门的管理员和监察人员可见，附当前亮牌（逾期未答复为黄牌，逾期若干工作日仍未答复为红牌；已答复的按答复时计）；" +
			"默认只列未答复的，all=true 列出全部",
		Query: []Param{{Name: "all", Description: "true：包括已答复的督办"}},
		Out:   []rating.NoticeView{}, handle: a.notices})
	a.add(Route{Method: "POST", Path: "/api/v1/supervision-notices", Tag: "supervision", Access: staffOnly,
		Summary: "监察人员发出督办：subject 为 case（超期或停滞的办件，ref 为办件编号）、ticket（超期的差评整改工单，ref 为工单编号）" +
			"或 complaint（已派单且超期未回复的投诉工单，ref 为工单号）；demand 为督办要求，days 为答复期限（工作日，默认 3）；" +
			"同一对象有未答复的督办时不能再发（409）",
		In: rating.NoticeInput{}, Out: rating.NoticeView{}, Status: http.StatusCreated, Limit: 64 << 10, handle: a.issueNotice})
	a.add(Route{Method: "GET", Path: "/api/v1/supervision-notices/{id}", Tag: "supervision", Access: staffOnly,
		Summary: "一件督办及其亮牌", Out: rating.NoticeView{}, handle: a.notice})
	a.add(Route{Method: "POST", Path: "/api/v1/supervision-notices/{id}/answer", Tag: "supervision", Access: staffOnly,
		Summary: "被督办部门的管理员答复督办（只能答复一次）；text 为答复内容，version 为所答复的督办版本",
		In:      rating.NoticeAnswer{}, Out: rating.NoticeView{}, Limit: 64 << 10, handle: a.answerNotice})
}

func (a *API) notices(w http.ResponseWriter, r *http.Request) error {
	out, err := a.Ratings.Notices(r.Context(), a.request(r), r.URL.Query().Get("all") == "true")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(out))
}

func (a *API) issueNotice(w http.ResponseWriter, r *http.Request) error {
	var in rating.NoticeInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.IssueNotice(r.Context(), a.request(r), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

func (a *API) notice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	out, err := a.Ratings.Notice(r.Context(), a.request(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) answerNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in rating.NoticeAnswer
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.AnswerNotice(r.Context(), a.request(r), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
