package catalog

import (
	"context"

	"github.com/tongban/tongban"
)

// RuleLicenseTypeUnknown: the listing's result names a 证照类型 the platform
// does not have, so issuing its cases would be refused. Saving and importing
// refuse such a listing; the quality report still finds listings stored
// before the type was removed or that came in some other way.
const RuleLicenseTypeUnknown = "license_type_unknown"

// licenseTypes answers whether a licence type exists, once per code.
type licenseTypes struct {
	st interface {
		LicenseTypeExists(context.Context, string) (bool, error)
	}
	seen map[string]bool
}

func newLicenseTypes(st tongban.Store) *licenseTypes {
	return &licenseTypes{st: st, seen: map[string]bool{}}
}

// unknown is the field error of a listing whose result names a licence type
// that does not exist, or nil.
func (t *licenseTypes) unknown(ctx context.Context, l *tongban.Listing) (*tongban.Error, error) {
	code := l.Result.LicenseType
	if code == "" {
		return nil, nil
	}
	ok, done := t.seen[code]
	if !done {
		var err error
		if ok, err = t.st.LicenseTypeExists(ctx, code); err != nil {
			return nil, err
		}
		t.seen[code] = ok
	}
	if ok {
		return nil, nil
	}
	return &tongban.Error{Code: tongban.EInvalid, Field: "result.license_type",
		Message: "结果证照类型代码 " + code + " 不是已登记的证照类型"}, nil
}

// checkStored is Check plus what needs the store: that the result's licence
// type exists.
func (t *licenseTypes) checkStored(ctx context.Context, item tongban.Item, l tongban.Listing) (Report, error) {
	rep := Check(item, l)
	e, err := t.unknown(ctx, &l)
	if err != nil || e == nil {
		return rep, err
	}
	rep.Issues = append(rep.Issues, Issue{Rule: RuleLicenseTypeUnknown, Severity: SeverityError, Field: e.Field, Message: e.Message})
	return rep, nil
}

// CheckStored is the quality check of a listing against the stored catalogue:
// Check, and that the licence type its result names exists.
func CheckStored(ctx context.Context, st tongban.Store, item tongban.Item, l tongban.Listing) (Report, error) {
	return newLicenseTypes(st).checkStored(ctx, item, l)
}
