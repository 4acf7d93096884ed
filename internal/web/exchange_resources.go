package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// resourcesPage is the 政务信息资源目录 for catalog staff: each resource,
// its department, items, share condition, basis, what it stands for and
// how its records arrive. It is kept through the API.
type resourcesPage struct {
	catalogBase
	Rows []resourceRow
}

type resourceRow struct {
	*tongban.DataResource
	Records   int
	Items     string
	Standards string
	Provider  string // 推送 or 调取 and where
}

func (w *Web) resourcesPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	ctx := r.Context()
	list, err := w.Exchange.Data.Resources(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	if std, err := w.Exchange.Standards.List(ctx); err == nil {
		for _, s := range std {
			names[s.Code] = s.Name
		}
	}
	p := &resourcesPage{catalogBase: w.catalogBase(rw, r, u, "政务信息资源目录", "resources")}
	for _, res := range list {
		n, err := w.Store.CountDataRecords(ctx, res.ID)
		if err != nil {
			return err
		}
		var items, stds []string
		for _, f := range res.Fields {
			items = append(items, f.Name)
		}
		for _, s := range res.Standards {
			stds = append(stds, names[s])
		}
		provider := p.Lang.T("部门推送")
		if res.PullURL != "" {
			provider = p.Lang.T("按需调取") + " " + res.PullURL
		}
		p.Rows = append(p.Rows, resourceRow{DataResource: res, Records: n, Items: strings.Join(items, "、"),
			Standards: strings.Join(stds, "、"), Provider: provider})
	}
	return w.render(rw, r, http.StatusOK, "exchange_resources", p)
}
