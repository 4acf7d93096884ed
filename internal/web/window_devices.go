package web

import (
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// windowDevicesPage is 窗口评价器 in the console: the windows the viewer
// sets tablets up for (its own as a clerk, or those of the orgs they
// manage), their devices, and a new device's token shown once.
type windowDevicesPage struct {
	Base
	Windows []*tongban.Org
	Devices []windowDeviceRow
	Form    form
	// Token is the token just issued, shown this once; Issued names it.
	Token, Issued string
}

type windowDeviceRow struct {
	*tongban.WindowDevice
	WindowName string
}

func (w *Web) registerWindowDevices(mux *http.ServeMux) {
	mux.HandleFunc("GET /console/window-devices", w.handle(w.windowDevices))
	mux.HandleFunc("POST /console/window-devices", w.handle(w.windowDeviceIssue))
	mux.HandleFunc("POST /console/window-devices/{id}/revoke", w.handle(w.windowDeviceRevoke))
	mux.HandleFunc("GET /window/pair", w.handle(w.windowPair))
	mux.HandleFunc("POST /window/pair", w.handle(w.windowPairSubmit))
	mux.HandleFunc("GET /window/rate", w.handle(w.windowRate))
	mux.HandleFunc("POST /window/rate", w.handle(w.windowRateSubmit))
}

// windowDevicesOf fills the windows the viewer manages devices of, and those devices.
func (w *Web) windowDevicesOf(rw http.ResponseWriter, r *http.Request) (*windowDevicesPage, error) {
	u, err := w.staff(r, identity.PermConsole)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	all, err := w.Store.Orgs(ctx, tongban.OrgFilter{Kind: tongban.OrgWindow})
	if err != nil {
		return nil, err
	}
	p := &windowDevicesPage{Base: w.base(rw, r, "窗口评价器"), Form: newForm()}
	names := map[int64]string{}
	var ids []int64
	for _, o := range all {
		if w.Identity.RequireOrg(ctx, u, identity.PermCaseAccept, o.ID) == nil || w.Identity.RequireOrg(ctx, u, identity.PermOrgManage, o.ID) == nil {
			p.Windows, names[o.ID], ids = append(p.Windows, o), o.Name, append(ids, o.ID)
		}
	}
	if len(p.Windows) == 0 {
		return nil, tongban.Errorf(tongban.EForbidden, "您不负责任何办事窗口")
	}
	ds, err := w.Ratings.Devices(ctx, w.request(r), ids)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		p.Devices = append(p.Devices, windowDeviceRow{WindowDevice: d, WindowName: names[d.WindowID]})
	}
	return p, nil
}

func (w *Web) windowDevices(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.windowDevicesOf(rw, r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "window_devices", p)
}

// windowDeviceIssue answers with the page itself, not a redirect, so the
// token is shown once and travels in no URL or cookie.
func (w *Web) windowDeviceIssue(rw http.ResponseWriter, r *http.Request) error {
	d, token, err := w.Ratings.IssueDevice(r.Context(), w.request(r), formInt(r, "window_id"), r.PostFormValue("label"))
	p, perr := w.windowDevicesOf(rw, r)
	if perr != nil {
		return perr
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		p.Form.fail(err)
		p.Form.Values["label"] = r.PostFormValue("label")
		return w.render(rw, r, http.StatusBadRequest, "window_devices", p)
	}
	p.Token, p.Issued = token, d.Label
	rw.Header().Set("Cache-Control", "no-store")
	return w.render(rw, r, http.StatusCreated, "window_devices", p)
}

func (w *Web) windowDeviceRevoke(rw http.ResponseWriter, r *http.Request) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	if err := w.Ratings.RevokeDevice(r.Context(), w.request(r), id); err != nil {
		return err
	}
	w.redirectFlash(rw, r, "/console/window-devices", "评价器已停用。")
	return nil
}

// windowDeviceCookie keeps the tablet's token: set once when paired, sent
// only to /window pages.
const windowDeviceCookie = "tongban_window_device"

func (w *Web) deviceOf(r *http.Request) (*tongban.WindowDevice, error) {
	token := ""
	if c, err := r.Cookie(windowDeviceCookie); err == nil {
		token = c.Value
	}
	return w.Ratings.Device(r.Context(), token)
}

type windowPairPage struct {
	Base
	Form form
}

func (w *Web) windowPair(rw http.ResponseWriter, r *http.Request) error {
	return w.render(rw, r, http.StatusOK, "window_pair", windowPairPage{Base: w.base(rw, r, "评价器配对"), Form: newForm()})
}

func (w *Web) windowPairSubmit(rw http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(r.PostFormValue("token"))
	if _, err := w.Ratings.Device(r.Context(), token); err != nil {
		p := windowPairPage{Base: w.base(rw, r, "评价器配对"), Form: newForm()}
		p.Form.Errors["token"] = tongban.AsError(err).Message
		return w.render(rw, r, http.StatusBadRequest, "window_pair", p)
	}
	http.SetCookie(rw, &http.Cookie{Name: windowDeviceCookie, Value: token, Path: "/window", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: w.Auth.Secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(rw, r, "/window/rate", http.StatusSeeOther)
	return nil
}
