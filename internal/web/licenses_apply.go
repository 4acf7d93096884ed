package web

import (
	"net/http"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/exchange"
)

// licenceChoice is 用证 on the application form for one material: the
// applicant's valid e-licences of the type its standard material names,
// which one is chosen, whether the applicant authorised its use for this
// case, and the stated 用证事由. Only a ticked consent spares the material;
// the server checks the licence again when the case is filed.
type licenceChoice struct {
	Licenses []*tongban.License
	Chosen   string // identifier
	Consent  bool
	Reason   string
}

// licenceChoices are the form's choices by material key.
type licenceChoices map[string]*licenceChoice

func (c *licenceChoice) used() bool { return c != nil && c.Consent && c.Chosen != "" }

func (c *licenceChoice) material(key string) tongban.CaseMaterial {
	return tongban.CaseMaterial{Key: key, Status: tongban.MaterialELicense, Claim: c.Chosen, Consent: true, UseReason: c.Reason}
}

// licenceChoices finds the offers for the form's materials and reads what
// a posted form chose (license_KEY, license_consent_KEY, license_reason_KEY).
func (w *Web) licenceChoices(r *http.Request, applicant *tongban.User, purpose string, ms []tongban.Material) (licenceChoices, error) {
	offers, err := exchange.Licenses{}.Offers(r.Context(), w.Store, applicant, ms, w.Workflow.Clock.Now())
	if err != nil {
		return nil, err
	}
	out := licenceChoices{}
	posted := r.Method == http.MethodPost
	for _, o := range offers {
		c := &licenceChoice{Licenses: o.Licenses, Chosen: o.Licenses[0].Identifier, Reason: "办理「" + purpose + "」"}
		if posted {
			c.Consent = r.FormValue("license_consent_"+o.Key) != ""
			if v := r.FormValue("license_reason_" + o.Key); v != "" {
				c.Reason = v
			}
			c.Chosen = ""
			for _, h := range o.Licenses {
				if h.Identifier == r.FormValue("license_"+o.Key) {
					c.Chosen = h.Identifier
				}
			}
		}
		out[o.Key] = c
	}
	return out, nil
}
