package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// licenceChangePage is 变更 from the console: the licence's face items as
// they stand, editable, a new end of validity and the reason. Saving makes
// the next version (license.Service.Change); the old one becomes 已变更.
type licenceChangePage struct {
	Base
	Org     *tongban.Org
	Licence *tongban.License
	Holder  string // a person's name and ID number masked
	Items   []licenceChangeItem
	Form    form
}

// licenceChangeItem is one face item of the form. An item holding a
// 公民身份号码 is shown masked and its input starts empty (empty: unchanged),
// so opening the form does not put a person's full ID number on a page.
type licenceChangeItem struct {
	Name, Value, Masked string
	Required            bool
}

// changeFieldPrefix names a face item's input by its printed name.
const changeFieldPrefix = "face."

// licenceChangeForm shows the form for ?identifier= of the org's licences.
func (w *Web) licenceChangeForm(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.licenceChangePage(rw, r)
	if err != nil {
		return err
	}
	if err := w.recordLicenceRead(r, p.Licence, "发证机关变更本机关签发的电子证照"); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "licenses_change", p)
}

// licenceChangePage loads the licence named by the form, if it is the org's
// and still 有效, with its face items in the type's order.
func (w *Web) licenceChangePage(rw http.ResponseWriter, r *http.Request) (*licenceChangePage, error) {
	org, err := w.licencesOrg(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	id, err := license.ParseIdentifier(r.FormValue("identifier"))
	if err != nil {
		return nil, err
	}
	l, err := w.Store.LicenseByIdentifier(ctx, id.String())
	if err == nil && l.IssuerID != org.ID {
		err = tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", id.String())
	}
	if err != nil {
		return nil, err
	}
	if l.Status != tongban.LicenseValid {
		return nil, tongban.Errorf(tongban.EConflict, "该证照%s，不能变更", l.Status.Label())
	}
	typ, err := w.Store.LicenseType(ctx, l.TypeCode)
	if err != nil {
		return nil, err
	}
	p := &licenceChangePage{Base: w.base(rw, r, "变更电子证照"), Org: org, Licence: l, Holder: l.HolderName, Form: newForm()}
	if l.HolderKind == tongban.HolderPerson {
		p.Holder = tongban.MaskName(l.HolderName) + " " + l.HolderCodeMasked
	}
	for _, f := range typ.Fields {
		it := licenceChangeItem{Name: f.Name, Value: l.Face[f.Name], Required: f.Required}
		if idn, err := tongban.ParseIDNumber(it.Value); err == nil {
			it.Value, it.Masked = "", idn.Masked()
		}
		p.Items = append(p.Items, it)
	}
	p.Form.Values["valid_to"] = "长期"
	if !l.ValidTo.IsZero() {
		p.Form.Values["valid_to"] = l.ValidTo.Format("2006-01-02")
	}
	return p, nil
}

// licenceChangeSubmit takes the form: only the items whose value differs
// from the licence's are changed (an ID-number item only when a new one is
// entered), so a form sent back as it came changes nothing but the reason
// asks for a new version anyway — the department decides that.
func (w *Web) licenceChangeSubmit(rw http.ResponseWriter, r *http.Request) error {
	p, err := w.licenceChangePage(rw, r)
	if err != nil {
		return err
	}
	in := license.Change{Face: map[string]string{}, Reason: r.FormValue("reason")}
	for i, it := range p.Items {
		v := strings.TrimSpace(r.FormValue(changeFieldPrefix + it.Name))
		if it.Masked != "" {
			if v != "" {
				in.Face[it.Name] = v
			}
			continue
		}
		p.Items[i].Value = v
		if v != p.Licence.Face[it.Name] {
			in.Face[it.Name] = v
		}
	}
	validTo := strings.TrimSpace(r.FormValue("valid_to"))
	if validTo != p.Form.Values["valid_to"] {
		in.ValidTo = validTo
	}
	svc := &license.Service{Store: w.Store, Clock: w.Identity.Clock}
	next, err := svc.Change(r.Context(), w.request(r), p.Licence.Identifier, in)
	if err == nil {
		w.redirectFlash(rw, r, "/console/licenses?org="+strconv.FormatInt(p.Org.ID, 10),
			fmt.Sprintf("%s %s 已变更为第%d版（%s），原版本已标记为已变更。", next.TypeName, next.Number, next.Version, next.Identifier))
		return nil
	}
	if !userError(err) {
		return err
	}
	p.Form.Values["valid_to"], p.Form.Values["reason"] = validTo, r.FormValue("reason")
	p.Form.fail(err)
	if len(p.Form.Errors) > 0 {
		p.Form.Error = tongban.AsError(err).Message
	}
	return w.render(rw, r, http.StatusBadRequest, "licenses_change", p)
}

// recordLicenceRead writes the holder's data-use record for staff opening
// their licence's face, as the API's licence read does.
func (w *Web) recordLicenceRead(r *http.Request, l *tongban.License, reason string) error {
	u, err := w.signedIn(r)
	if err != nil {
		return err
	}
	org := ""
	if o, err := w.Store.Org(r.Context(), l.IssuerID); err == nil {
		org = o.Name
	}
	return w.Store.RecordDataUse(r.Context(), &tongban.DataUse{SubjectID: l.HolderID, At: w.Identity.Clock.Now(),
		Kind: tongban.DataUseLicenseRead, ActorID: u.ID, ActorName: org + " 发证机关工作人员", OrgID: l.IssuerID, OrgName: org,
		Resource: l.Identifier, Fields: []string{l.TypeName}, Reason: reason})
}
