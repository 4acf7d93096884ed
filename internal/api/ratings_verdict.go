package api

import (
	"net/http"

	"github.com/tongban/tongban/internal/rating"
)

// ratingVerdictRoutes: the rater judges the department's answer to their 差评.
func (a *API) ratingVerdictRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/cases/{number}/ratings/{encounter}/verdict", Tag: "ratings", Access: signedIn,
		Summary: "评价人评价部门对其差评的答复：整改工单已整改或核实无效后，level 为 4（满意）、3（基本满意）或 2（不满意），" +
			"只能由评价人本人评价一次（再次评价 409；工单未办结 409）",
		In: rating.VerdictInput{}, Out: rating.Rated{}, Status: http.StatusCreated, Limit: 16 << 10, handle: a.judgeAnswer})
}

func (a *API) judgeAnswer(w http.ResponseWriter, r *http.Request) error {
	var in rating.VerdictInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	out, err := a.Ratings.Judge(r.Context(), a.request(r), r.PathValue("number"), r.PathValue("encounter"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}
