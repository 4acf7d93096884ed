package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/notice"
)

func (a *API) noticeRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}/notices/{kind}", Tag: "cases", Access: signedIn,
		Summary: "通知书 PDF：kind 为 acceptance.pdf（受理通知书）、rejection.pdf（不予受理通知书）、correction.pdf（一次性告知书）" +
			"、completion.pdf（办结通知书）或 denial.pdf（不予行政许可决定书／不予办理决定书），办件到达相应状态后才有；限申请人及有权查看该办件的工作人员",
		Produces: "application/pdf", handle: a.noticePDF})
	a.add(Route{Method: "GET", Path: "/api/v1/cases/{number}/qr.png", Tag: "cases", Access: signedIn,
		Summary: "指向公开办件查询页 {public-url}/progress?number=… 的二维码（PNG）", Produces: "image/png", handle: a.caseQR})
}

// noticeKinds lists the notices a case has produced so far, as the case's
// view names them.
func noticeKinds(c *tongban.Case, evs []*tongban.CaseEvent) []string {
	out := []string{}
	for _, k := range notice.Available(c, evs) {
		out = append(out, string(k))
	}
	return out
}

func (a *API) noticePDF(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	kind := notice.Kind(strings.TrimSuffix(r.PathValue("kind"), ".pdf"))
	if !kind.Valid() {
		return tongban.Errorf(tongban.ENotFound, "通知书种类应为 acceptance、rejection、correction、completion 或 denial")
	}
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumber(ctx, req, r.PathValue("number"))
	if err != nil {
		return err
	}
	evs, err := a.Store.CaseEvents(ctx, c.ID)
	if err != nil {
		return err
	}
	f, err := notice.FactsFor(ctx, a.Store, a.Workflow.Calendar, c, evs, kind, a.PublicURL)
	if err != nil {
		return err
	}
	n, err := notice.Compose(kind, f)
	if err != nil {
		return err
	}
	pdf, err := notice.PDF(n, notice.DefaultFont)
	if err != nil {
		a.Log.ErrorContext(ctx, "notice pdf", "case", c.Number, "kind", kind, "err", err)
		return tongban.Wrap(tongban.EUnavailable, err, "通知书暂时无法生成，请稍后再试")
	}
	name := c.Number + "-" + kind.Title() + ".pdf"
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+c.Number+"-"+string(kind)+`.pdf"; filename*=UTF-8''`+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(pdf)
	return err
}

func (a *API) caseQR(w http.ResponseWriter, r *http.Request) error {
	req, _ := a.caseRequest(r)
	c, err := a.Workflow.ByNumber(r.Context(), req, r.PathValue("number"))
	if err != nil {
		return err
	}
	png, err := notice.QRPNG(notice.ProgressURL(a.PublicURL, c.Number))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(png)
	return err
}
