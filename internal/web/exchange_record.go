package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
)

// dataUsesPage is the person's data record (我的数据使用记录): every read of
// their data, newest first, exportable, with the consents they gave.
type dataUsesPage struct {
	Base
	Uses     []exchange.UseRow
	Consents []consentRow
	Now      int64
}

type consentRow struct {
	*tongban.Consent
	Resource string
	Open     bool
}

func (w *Web) dataUsesPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	uses, err := w.Exchange.Record.Uses(r.Context(), u, 500, 0)
	if err != nil {
		return err
	}
	consents, err := w.Store.Consents(r.Context(), u.ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	if list, err := w.Exchange.Data.Resources(r.Context()); err == nil {
		for _, res := range list {
			names[res.Code] = res.Name + "（" + res.OrgName + "）"
		}
	}
	now := w.Exchange.Data.Clock.Now()
	p := &dataUsesPage{Base: w.base(rw, r, "我的数据使用记录"), Uses: uses}
	for _, c := range consents {
		p.Consents = append(p.Consents, consentRow{Consent: c, Resource: names[c.ResourceCode], Open: c.Open(now)})
	}
	return w.render(rw, r, http.StatusOK, "exchange_datauses", p)
}

// dataUsesExport downloads the whole record as CSV or xlsx.
func (w *Web) dataUsesExport(format string) func(http.ResponseWriter, *http.Request) error {
	return func(rw http.ResponseWriter, r *http.Request) error {
		u, err := w.signedIn(r)
		if err != nil {
			return err
		}
		uses, err := w.Exchange.Record.Uses(r.Context(), u, exchange.MaxRecordRows, 0)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := exchange.Export(&buf, format, uses); err != nil {
			return err
		}
		rw.Header().Set("Content-Type", exchange.ExportTypes[format])
		rw.Header().Set("Content-Disposition", `attachment; filename="data-uses.`+format+`"`)
		rw.Header().Set("Cache-Control", "private, no-store")
		_, err = rw.Write(buf.Bytes())
		return err
	}
}

func (w *Web) consentRevoke(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return tongban.Errorf(tongban.ENotFound, "没有该授权")
	}
	if err := w.Exchange.Data.RevokeConsent(r.Context(), u, id); err != nil {
		return err
	}
	w.redirectFlash(rw, r, "/account/data-uses", "授权已撤回。")
	return nil
}
