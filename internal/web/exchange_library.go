package web

import (
	"net/http"
	"strconv"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
)

// libraryPage is the applicant's material library (我的材料库): every file
// staff confirmed, what it may be used for and until when; the applicant
// may delete any of them.
type libraryPage struct {
	Base
	Entries []libraryRow
}

type libraryRow struct {
	*tongban.LibraryEntry
	Standard string // the standard material's name
	Expired  bool
}

func (w *Web) libraryPage(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if u.Kind == tongban.UserStaff {
		return tongban.Errorf(tongban.EForbidden, "工作人员账号没有材料库")
	}
	entries, err := w.Exchange.Library.Entries(r.Context(), u)
	if err != nil {
		return err
	}
	names := map[string]string{}
	if list, err := w.Exchange.Standards.List(r.Context()); err == nil {
		for _, m := range list {
			names[m.Code] = m.Name
		}
	}
	today := calendar.DateOf(w.Exchange.Library.Clock.Now()).String()
	p := &libraryPage{Base: w.base(rw, r, "我的材料库")}
	for _, e := range entries {
		p.Entries = append(p.Entries, libraryRow{LibraryEntry: e, Standard: names[e.Standard], Expired: !e.ValidOn(today)})
	}
	return w.render(rw, r, http.StatusOK, "exchange_library", p)
}

func (w *Web) libraryDelete(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return tongban.Errorf(tongban.ENotFound, "材料库中没有该材料")
	}
	if err := w.Exchange.Library.Delete(r.Context(), u, id); err != nil {
		return err
	}
	w.redirectFlash(rw, r, "/account/library", "已从材料库删除；已使用它的办件不受影响。")
	return nil
}
