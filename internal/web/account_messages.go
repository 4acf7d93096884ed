package web

import (
	"net/http"
	"net/mail"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/calendar"
	"github.com/tongban/tongban/internal/notify"
	"github.com/tongban/tongban/internal/oidc"
)

// A person's messages (消息中心), what reaches them by SMS and email
// (通知设置), and the department systems they let sign them in (授权管理).

type messagesPage struct {
	Base
	Notes  []*tongban.Notification
	Unread int
}

type notifySettingsPage struct {
	Base
	Prefs      *tongban.NotifyPrefs
	PhoneReady bool // SMS can reach the person (a proved mobile number)
	Categories []categoryChoice
	Form       form
	Sent       []*tongban.Message
}

type categoryChoice struct {
	Key, Label string
	SMS, Email bool
}

type appsPage struct {
	Base
	Apps []appGrant
}

type appGrant struct {
	Client *tongban.OIDCClient
	Scopes []string
	At     string
}

func (w *Web) registerMessages(mux *http.ServeMux) {
	if w.Notify == nil {
		return
	}
	mux.HandleFunc("GET /account/messages", w.handle(w.messages))
	mux.HandleFunc("POST /account/messages/read", w.handle(w.messagesRead))
	mux.HandleFunc("GET /account/notify", w.handle(w.notifySettings))
	mux.HandleFunc("POST /account/notify", w.handle(w.notifySave))
	if w.OIDC != nil {
		mux.HandleFunc("GET /account/apps", w.handle(w.apps))
		mux.HandleFunc("POST /account/apps/revoke", w.handle(w.appRevoke))
	}
}

func (w *Web) messages(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	p := messagesPage{Base: w.base(rw, r, "消息中心")}
	if p.Notes, err = w.Store.Notifications(r.Context(), u.ID, false, 50, 0); err != nil {
		return err
	}
	if p.Unread, err = w.Store.CountUnread(r.Context(), u.ID); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "account_messages", p)
}

func (w *Web) messagesRead(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.Store.MarkRead(r.Context(), u.ID, formInt(r, "id"), w.Identity.Clock.Now()); err != nil {
		return err
	}
	if next := r.PostFormValue("next"); strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n\t ") {
		http.Redirect(rw, r, next, http.StatusSeeOther)
		return nil
	}
	http.Redirect(rw, r, "/account/messages", http.StatusSeeOther)
	return nil
}

func (w *Web) settingsPage(rw http.ResponseWriter, r *http.Request, u *tongban.User, prefs *tongban.NotifyPrefs) (notifySettingsPage, error) {
	p := notifySettingsPage{Base: w.base(rw, r, "通知设置"), Prefs: prefs, PhoneReady: notify.PhoneProved(u), Form: newForm()}
	for _, c := range notify.Categories {
		if c == notify.CategorySupervise && u.Kind != tongban.UserStaff {
			continue
		}
		p.Categories = append(p.Categories, categoryChoice{Key: c, Label: p.Lang.T(notify.CategoryLabel(c)),
			SMS: prefs.Wants(tongban.MessageSMS, c), Email: prefs.Wants(tongban.MessageEmail, c)})
	}
	var err error
	p.Sent, err = w.Store.Messages(r.Context(), u.ID, 20)
	return p, err
}

func (w *Web) notifySettings(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	prefs, err := w.Store.NotifyPrefs(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p, err := w.settingsPage(rw, r, u, prefs)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "account_notify", p)
}

func (w *Web) notifySave(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	prefs := &tongban.NotifyPrefs{UserID: u.ID, Off: []string{}, UpdatedAt: w.Identity.Clock.Now()}
	if email := strings.TrimSpace(r.PostFormValue("email")); email != "" {
		a, err := mail.ParseAddress(email)
		if err != nil || a.Address != email || len(email) > 200 {
			p, perr := w.settingsPage(rw, r, u, prefs)
			if perr != nil {
				return perr
			}
			p.Form.fail(tongban.FieldError("email", "邮箱地址格式不正确"))
			p.Form.Values["email"] = email
			return w.render(rw, r, http.StatusBadRequest, "account_notify", p)
		}
		prefs.Email = a.Address
	}
	for _, c := range notify.Categories {
		for _, ch := range []tongban.MessageChannel{tongban.MessageSMS, tongban.MessageEmail} {
			if r.PostFormValue(string(ch)+":"+c) != "on" {
				prefs.Off = append(prefs.Off, string(ch)+":"+c)
			}
		}
	}
	if err := w.Store.SetNotifyPrefs(r.Context(), prefs); err != nil {
		return err
	}
	return w.done(rw, r, "/account/notify", "通知设置已保存。")
}

func (w *Web) apps(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	consents, err := w.Store.OIDCConsents(r.Context(), u.ID)
	if err != nil {
		return err
	}
	p := appsPage{Base: w.base(rw, r, "授权管理")}
	for _, c := range consents {
		client, err := w.Store.OIDCClient(r.Context(), c.ClientID)
		if err != nil {
			continue
		}
		g := appGrant{Client: client, At: c.GrantedAt.In(calendar.Location()).Format("2006-01-02 15:04")}
		for _, s := range c.Scopes {
			g.Scopes = append(g.Scopes, p.Lang.T(oidc.ScopeLabel(s)))
		}
		p.Apps = append(p.Apps, g)
	}
	return w.render(rw, r, http.StatusOK, "account_apps", p)
}

func (w *Web) appRevoke(rw http.ResponseWriter, r *http.Request) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	if err := w.OIDC.Revoke(r.Context(), u, r.PostFormValue("client_id")); err != nil {
		return err
	}
	return w.done(rw, r, "/account/apps", "已撤销授权，该系统需要您重新同意才能再次登录。")
}
