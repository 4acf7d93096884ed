package web

import (
	"context"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/license"
)

// caseLicence is the e-licence that spared a material (用证), as the clerk
// and the approver check it: its face, the version the case references,
// and what verifying it says now.
type caseLicence struct {
	Lang    Lang
	License *tongban.License
	Version int // the version the case references
	V       *license.Verification
	Face    []license.FaceItem
}

// attachLicences fills the licence of each material a licence spared.
func (w *Web) attachLicences(ctx context.Context, lang Lang, rows []materialRow) error {
	for i := range rows {
		ref := rows[i].Ref
		if ref == nil || ref.Kind != tongban.RefLicense {
			continue
		}
		l, err := w.Store.LicenseByIdentifier(ctx, ref.ID)
		if tongban.IsCode(err, tongban.ENotFound) {
			continue
		} else if err != nil {
			return err
		}
		v, err := license.Verify(ctx, w.Store, l.Identifier, w.Workflow.Clock.Now())
		if err != nil {
			return err
		}
		rows[i].Licence = &caseLicence{Lang: lang, License: l, Version: ref.Version, V: v, Face: license.PublicFace(l)}
	}
	return nil
}
