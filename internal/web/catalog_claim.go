package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

type catalogClaimPage struct {
	catalogBase
	Q     string
	Items []*tongban.Item
	Orgs  []*tongban.Org // departments the member may claim for
	Form  form
}

// catalogClaimPage finds base-catalog items to claim (事项认领) and the
// departments the member may claim them for.
func (w *Web) catalogClaimPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	p, err := w.newCatalogClaimPage(rw, r, u, strings.TrimSpace(r.URL.Query().Get("q")))
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "catalog_claim", p)
}

func (w *Web) newCatalogClaimPage(rw http.ResponseWriter, r *http.Request, u *tongban.User, q string) (*catalogClaimPage, error) {
	ctx := r.Context()
	p := &catalogClaimPage{catalogBase: w.catalogBase(rw, r, u, "认领事项", "claim"), Q: q, Form: newForm()}
	var err error
	if p.Items, err = w.Store.Items(ctx, tongban.ItemFilter{Q: q, Limit: 50}); err != nil {
		return nil, err
	}
	if p.Orgs, err = w.claimableOrgs(ctx, u); err != nil {
		return nil, err
	}
	return p, nil
}

// claimableOrgs are the departments in u's edit scope.
func (w *Web) claimableOrgs(ctx context.Context, u *tongban.User) ([]*tongban.Org, error) {
	sc, err := w.Identity.Authorizer.Scope(ctx, u, identity.PermCatalogEdit)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []*tongban.Org
	add := func(o *tongban.Org) {
		if o.Kind == tongban.OrgDepartment && !seen[o.ID] {
			seen[o.ID] = true
			out = append(out, o)
		}
	}
	for _, reg := range sc.Regions {
		orgs, err := w.Store.Orgs(ctx, tongban.OrgFilter{Within: reg, Kind: tongban.OrgDepartment})
		if err != nil {
			return nil, err
		}
		for _, o := range orgs {
			add(o)
		}
	}
	for _, id := range sc.OrgIDs {
		o, err := w.Store.Org(ctx, id)
		if err != nil {
			return nil, err
		}
		add(o)
	}
	return out, nil
}

// catalogClaim claims the item for the department and opens its draft.
func (w *Web) catalogClaim(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(r.PostFormValue("item_code"))
	orgID, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	res, err := w.Catalog.ClaimItem(r.Context(), w.request(r), code, orgID)
	if err != nil {
		if !catalogUserError(err) && tongban.ErrorCodeOf(err) != tongban.EForbidden {
			return err
		}
		p, perr := w.newCatalogClaimPage(rw, r, u, r.PostFormValue("q"))
		if perr != nil {
			return perr
		}
		p.Form.Error = tongban.AsError(err).Message
		return w.render(rw, r, tongban.HTTPStatus(err), "catalog_claim", p)
	}
	w.redirectFlash(rw, r, "/console/catalog/listings/"+strconv.FormatInt(res.Listing.ID, 10),
		"已认领，已生成草稿清单；请补全下面标出的内容后发布")
	return nil
}
