package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/identity"
)

// walkInForm is the counter's form for a person with no account (一窗受理):
// the clerk copies name and phone (an enterprise: name and legal
// representative) from the documents in hand, and the applicant is recorded
// without a password, to claim when they register.
type walkInForm struct {
	IDNumber, CreditCode string
}

// walkInFields are the walk-in form's inputs with an error place
// (cases_counter.html). The card's number is a hidden input: its refusal
// (a staff account's card, a number that does not parse) goes above.
var walkInFields = []string{"applicant_name", "applicant_legal_rep_name", "applicant_phone"}

// walkInOf offers the form when an ID number or credit code has no account.
func walkInOf(query string) *walkInForm {
	if id, err := tongban.ParseIDNumber(query); err == nil {
		return &walkInForm{IDNumber: string(id)}
	}
	if code, err := tongban.ParseCreditCode(query); err == nil {
		return &walkInForm{CreditCode: string(code)}
	}
	return nil
}

// counterWalkIn records the walk-in and carries on with them identified.
func (w *Web) counterWalkIn(rw http.ResponseWriter, r *http.Request) error {
	u, _, err := w.Identity.Applicant(r.Context(), identity.WalkIn{IDNumber: r.FormValue("id_number"),
		CreditCode: r.FormValue("credit_code"), Name: r.FormValue("name"), Phone: r.FormValue("phone"),
		LegalRepName: r.FormValue("legal_rep_name")}, w.request(r))
	if err == nil {
		// Carry on as after any look-up of the ID card (which is what lets
		// the desk read the applicant).
		id := string(u.IDNumber)
		if u.Kind == tongban.UserEnterprise {
			id = string(u.CreditCode)
		}
		http.Redirect(rw, r, "/console/counter?id_number="+url.QueryEscape(id), http.StatusSeeOther)
		return nil
	}
	if !userError(err) {
		return err
	}
	p, perr := w.counterBase(rw, r)
	if perr != nil {
		return perr
	}
	p.IDQuery = strings.TrimSpace(r.FormValue("id_number") + r.FormValue("credit_code"))
	p.WalkIn = walkInOf(p.IDQuery)
	p.Form.failOn(err, walkInFields...)
	for _, k := range []string{"name", "phone", "legal_rep_name"} {
		p.Form.Values[k] = r.FormValue(k)
	}
	return w.render(rw, r, tongban.HTTPStatus(err), "cases_counter", p)
}
