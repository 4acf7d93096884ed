package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// licenceFace is the face the case's e-licence would carry, for the
// approver to confirm (and fill in where the form lacked an item) before
// issuing: nil unless the case awaits its result and the listing's result
// is a licence type.
func (w *Web) licenceFace(ctx context.Context, c *tongban.Case, l *tongban.Listing) ([]license.FaceEntry, error) {
	if l == nil || l.Result.LicenseType == "" || c.State != tongban.CaseApproved {
		return nil, nil
	}
	var applicant *tongban.User
	if c.ApplicantID != 0 {
		u, err := w.Store.User(ctx, c.ApplicantID)
		if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
			return nil, err
		}
		applicant = u
	}
	items, err := license.ConfirmFace(ctx, w.Store, c, l, applicant)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil // the type is gone; issuing says so
	}
	return items, err
}

// postedFace is the face items the issue form holds (face_<key>), by
// printed name; empty ones are left to the other sources.
func (w *Web) postedFace(r *http.Request, l *tongban.Listing) (map[string]string, error) {
	if l == nil || l.Result.LicenseType == "" {
		return nil, nil
	}
	typ, err := w.Store.LicenseType(r.Context(), l.Result.LicenseType)
	if tongban.IsCode(err, tongban.ENotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	face := map[string]string{}
	for _, f := range typ.Fields {
		if v := strings.TrimSpace(r.FormValue("face_" + f.Key)); v != "" {
			face[f.Name] = v
		}
	}
	return face, nil
}
