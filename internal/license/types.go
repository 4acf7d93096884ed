package license

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tongban/tongban"
)

// PutType checks a licence type (its GB/T 36904 type code included) and
// stores it, replacing one of the same code.
func PutType(ctx context.Context, st tongban.LicenseStore, t *tongban.LicenseType) error {
	if err := ValidTypeCode(t.Code); err != nil {
		return err
	}
	return st.PutLicenseType(ctx, t)
}

// LoadTypes reads a JSON array of licence types and stores each through
// PutType, in one transaction: all or nothing. It returns how many.
func LoadTypes(ctx context.Context, st tongban.Store, data []byte) (int, error) {
	var types []*tongban.LicenseType
	if err := json.Unmarshal(data, &types); err != nil {
		return 0, tongban.FieldError("license_types", "证照类型文件无法读取：%v", err)
	}
	err := st.Transact(ctx, func(tx tongban.Store) error {
		for i, t := range types {
			if err := PutType(ctx, tx, t); err != nil {
				e := tongban.AsError(err)
				return &tongban.Error{Code: e.Code, Field: e.Field, Err: err,
					Message: fmt.Sprintf("第%d个证照类型「%s」：%s", i+1, t.Name, e.Message)}
			}
		}
		return nil
	})
	return len(types), err
}
