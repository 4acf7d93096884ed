package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
	"github.com/tongban/tongban/internal/identity"
	"github.com/tongban/tongban/internal/stats"
)

// noSubmitPage is 免提交率 by listing for supervisors: which listings'
// applicants were spared papers by a licence, the library or shared data.
type noSubmitPage struct {
	Base
	From, To string
	Rows     []noSubmitRow
}

type noSubmitRow struct {
	exchange.ListingSpared
	Rate string
}

func (w *Web) noSubmitPage(rw http.ResponseWriter, r *http.Request) error {
	if _, err := w.staff(r, identity.PermSupervise); err != nil {
		return err
	}
	f, err := stats.FilterFromQuery(r.URL.Query(), w.Workflow.Clock.Now())
	if err != nil {
		return err
	}
	rows, err := w.Exchange.Reports.NoSubmit(r.Context(), w.request(r), f)
	if err != nil {
		return err
	}
	p := &noSubmitPage{Base: w.base(rw, r, "免提交率"), From: f.From, To: f.To}
	for _, row := range rows {
		rate := "—"
		if row.Rate != nil {
			rate = fmt.Sprintf("%.1f%%", *row.Rate*100)
		}
		p.Rows = append(p.Rows, noSubmitRow{ListingSpared: row, Rate: rate})
	}
	return w.render(rw, r, http.StatusOK, "exchange_nosubmit", p)
}

// sparablePage lists, for catalog admins, the materials that a shared
// resource or an e-licence could spare but that listings still ask for.
type sparablePage struct {
	catalogBase
	Region string
	Rows   []sparableRow
}

type sparableRow struct {
	exchange.Sparable
	ByText string
}

func (w *Web) sparablePage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.catalogStaff(r, identity.PermCatalogEdit)
	if err != nil {
		return err
	}
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	rows, err := w.Exchange.Reports.Sparable(r.Context(), w.request(r), region)
	if err != nil {
		return err
	}
	p := &sparablePage{catalogBase: w.catalogBase(rw, r, u, "可免提交的材料", "sparable"), Region: region}
	for _, row := range rows {
		p.Rows = append(p.Rows, sparableRow{Sparable: row, ByText: spareSourcesText(p.Lang, row.By)})
	}
	return w.render(rw, r, http.StatusOK, "exchange_sparable", p)
}

// spareSourcesText words what could stand in for a material in the
// page's language: the names are data, the words and marks are the page's.
func spareSourcesText(l Lang, by []exchange.SpareSource) string {
	parts := make([]string, len(by))
	for i, s := range by {
		if s.Kind == tongban.MaterialELicense {
			parts[i] = l.T("电子证照") + l.P("（") + l.T("证照类型") + " " + s.LicenseType + l.P("）")
			continue
		}
		parts[i] = l.T("共享数据") + l.P("「") + s.Resource + l.P("」") + l.P("（") + s.OrgName + l.P("，") + l.T(s.Share) + l.P("）")
	}
	return strings.Join(parts, l.P("；"))
}
