package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/httpx"
	"github.com/tongban/tongban/internal/workflow"
)

type confirmInput struct {
	Items []workflow.MaterialConfirmation `json:"items"` // provided files passed, with the document's own expiry if any
}

// libraryOffer is a library entry the applicant may use for one material
// of a listing: status "reused" with ref = the entry's id.
type libraryOffer struct {
	Key   string                `json:"key"` // the listing's material
	Entry *tongban.LibraryEntry `json:"entry"`
}

func (a *API) libraryRoutes() {
	a.add(Route{Method: "GET", Path: "/api/v1/me/library", Summary: "我的材料库：经工作人员审核通过、可再次使用的材料（含已过期）", Tag: "exchange",
		Access: signedIn, Out: []tongban.LibraryEntry{}, handle: a.myLibrary})
	a.add(Route{Method: "DELETE", Path: "/api/v1/me/library/{id}", Summary: "从我的材料库删除一项材料（已使用它的办件不受影响）", Tag: "exchange",
		Access: signedIn, Status: http.StatusNoContent, handle: a.deleteLibraryEntry})
	a.add(Route{Method: "GET", Path: "/api/v1/me/library/offers", Summary: "申请某事项时材料库可直接使用的材料：提交时以 status=reused、ref=材料库编号 引用",
		Tag: "exchange", Access: signedIn, Query: []Param{{Name: "listing", Description: "实施清单 ID", Required: true}},
		Out: []libraryOffer{}, handle: a.libraryOffers})
	a.add(Route{Method: "POST", Path: "/api/v1/cases/{number}/confirm-materials", Tag: "cases", Access: staffOnly,
		Summary: "材料审核通过：申请人提交的文件经核验无误，进入其材料库供以后办事复用（valid_until 为证件自身有效期）",
		In:      confirmInput{}, Out: caseView{}, handle: act(a, func(ctx context.Context, req workflow.Request, id int64, in confirmInput) (*tongban.Case, error) {
			return a.Workflow.ConfirmMaterials(ctx, req, id, in.Items)
		})})
}

func (a *API) myLibrary(w http.ResponseWriter, r *http.Request) error {
	list, err := a.Exchange.Library.Entries(r.Context(), httpx.User(r.Context()))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*tongban.LibraryEntry{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (a *API) deleteLibraryEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return tongban.Errorf(tongban.ENotFound, "材料库中没有该材料")
	}
	if err := a.Exchange.Library.Delete(r.Context(), httpx.User(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) libraryOffers(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.URL.Query().Get("listing"), 10, 64)
	if err != nil {
		return tongban.FieldError("listing", "请指明实施清单 ID")
	}
	u := httpx.User(r.Context())
	l, err := a.Catalog.Listing(r.Context(), u, id)
	if err != nil {
		return err
	}
	offers, err := a.Exchange.Library.Offers(r.Context(), u, l.Materials)
	if err != nil {
		return err
	}
	out := []libraryOffer{}
	for _, m := range l.Materials {
		if e := offers[m.Key]; e != nil {
			out = append(out, libraryOffer{Key: m.Key, Entry: e})
		}
	}
	return writeJSON(w, http.StatusOK, out)
}
