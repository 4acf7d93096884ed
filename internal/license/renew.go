package license

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// priorLicence is the licence a case renews or changes: one the case used
// for a material (用证, resolved by the server), of the result's type, held
// by the applicant, issued by the same org, still 有效. Nil when there is
// none: the case then issues a new licence.
func priorLicence(ctx context.Context, tx tongban.Store, c *tongban.Case, typ *tongban.LicenseType, org *tongban.Org, holder *tongban.User) (*tongban.License, error) {
	for _, m := range c.Materials {
		if m.Ref == nil || m.Ref.Kind != tongban.RefLicense {
			continue
		}
		l, err := tx.LicenseByIdentifier(ctx, m.Ref.ID)
		if tongban.IsCode(err, tongban.ENotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if l.TypeCode == typ.Code && l.HolderID == holder.ID && l.IssuerCode == org.CreditCode && l.Status == tongban.LicenseValid {
			return l, nil
		}
	}
	return nil, nil
}

// renew issues the next version of prior as the case's result: the face
// as filled, validity from today for the type's years, the old version
// 已变更 by this case. It is the issue action's case event that records it.
func renew(ctx context.Context, tx tongban.Store, q IssueRequest, typ *tongban.LicenseType, prior *tongban.License, face map[string]string, day time.Time) (*tongban.License, error) {
	why := fmt.Sprintf("由%s号办件（%s）变更为第%d版", q.Case.Number, strings.TrimSpace(q.Case.ItemName), prior.Version+1)
	next, err := Succeed(ctx, tx, prior, q.Now, why)
	if err != nil {
		return nil, err
	}
	next.Face, next.CaseID, next.ValidFrom, next.ValidTo = face, q.Case.ID, day, time.Time{}
	if typ.ValidYears > 0 {
		next.ValidTo = day.AddDate(typ.ValidYears, 0, -1)
	}
	next.HolderName = q.Applicant.Name
	if err := SignAndStore(ctx, tx, next); err != nil {
		return nil, err
	}
	ev := map[string]any{"replaces": prior.Identifier, "case_id": q.Case.ID, "case_number": q.Case.Number, "reason": why}
	if err := lifeEvent(ctx, tx, EventIssued, next, q.Now, ev); err != nil {
		return nil, err
	}
	return next, nil
}
