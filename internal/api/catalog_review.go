package api

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/catalog"
)

// The publication review (两人发布) over the API: with --catalog-review on,
// POST …/publish needs an open proposal by someone else (docs/catalog.md);
// so do an edit of a published listing (PUT answers with the pending
// proposal), …/suspend and …/withdraw of a published one.
func (a *API) catalogReviewRoutes() {
	a.add(Route{Method: "POST", Path: "/api/v1/listings/{id}/propose", Tag: "catalog", Access: staffOnly,
		Summary: "提交申请（启用发布审核时）：action 为 publish（发布草稿，须通过质检）、suspend 或 withdraw（暂停或撤销已发布的清单，须说明原因），由另一名管理员审核办理。修改已发布的清单直接保存（PUT），生成待审核的修改",
		In:      proposeInput{}, Out: tongban.ListingProposal{}, ErrorOut: catalogError{}, Status: http.StatusCreated, handle: a.proposeListing})
	a.add(Route{Method: "POST", Path: "/api/v1/listings/{id}/proposal/close", Tag: "catalog", Access: staffOnly,
		Summary: "撤回本人的发布申请，或由有发布权限的管理员退回（须说明原因）",
		In:      statusInput{}, Out: tongban.ListingProposal{}, handle: a.closeProposal})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/proposals", Tag: "catalog", Access: staffOnly,
		Summary: "待审核的发布申请（本人可编辑的清单，先提交的在前）",
		Out:     []catalog.ProposalView{}, handle: a.listProposals})
}

// proposeInput is a request for a second admin's decision.
type proposeInput struct {
	Version int    `json:"version,omitempty"` // the version looked at; 0 = current
	Action  string `json:"action,omitempty"`  // publish (default), suspend, withdraw
	Reason  string `json:"reason"`
}

func (a *API) proposeListing(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in proposeInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.Catalog.ProposeAction(r.Context(), a.request(r), id, in.Version, tongban.ProposalAction(in.Action), in.Reason)
	if err != nil {
		return a.catalogError(w, r, err)
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (a *API) closeProposal(w http.ResponseWriter, r *http.Request) error {
	id, in, err := statusRequest(w, r)
	if err != nil {
		return err
	}
	p, err := a.Catalog.CloseProposal(r.Context(), a.request(r), id, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (a *API) listProposals(w http.ResponseWriter, r *http.Request) error {
	views, err := a.Catalog.OpenProposals(r.Context(), a.request(r))
	if err != nil {
		return err
	}
	if views == nil {
		views = []catalog.ProposalView{}
	}
	return writeJSON(w, http.StatusOK, views)
}
