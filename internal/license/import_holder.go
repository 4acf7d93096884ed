package license

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// holderRecord records the holder of an imported licence who has no Tongban
// account, the way a window records a walk-in (identity.WalkIn): a person by
// name and ID number, an enterprise by name, credit code and — from the
// licence's face, where it has one — its legal representative; no password.
// When they register with the same ID number or credit code, registration
// claims the record (identity.ClaimWalkIn, which needs the phone the record
// holds; without one they open the account at a window), and their licences
// are there. It runs in the import's transaction: a refused file records
// nobody. code is the checked 公民身份号码 or 统一社会信用代码.
func holderRecord(ctx context.Context, tx tongban.Store, q importCtx, typ *tongban.LicenseType, row ImportRow, code, name string) (*tongban.User, string, string, error) {
	u := &tongban.User{Name: name, CreatedAt: q.now}
	if typ.HolderKind == tongban.HolderOrg {
		if utf8.RuneCountInString(name) > 100 {
			return nil, "holder_name", "持证主体名称不能超过100个字", nil
		}
		u.Kind, u.CreditCode = tongban.UserEnterprise, tongban.CreditCode(code)
		for _, f := range typ.Fields {
			if f.Key == "legal_rep" {
				u.LegalRepName = strings.TrimSpace(row.Face[f.Name])
			}
		}
	} else {
		if utf8.RuneCountInString(name) > 50 {
			return nil, "holder_name", "持证人姓名不能超过50个字", nil
		}
		u.Kind, u.IDNumber = tongban.UserCitizen, tongban.IDNumber(code)
	}
	if p := strings.TrimSpace(row.HolderPhone); p != "" {
		phone, err := tongban.ParsePhone(p)
		if err != nil {
			return nil, "holder_phone", "持证主体手机号有误：" + tongban.AsError(err).Message, nil
		}
		u.Phone = phone
	}
	if err := tx.CreateUser(ctx, u); err != nil {
		return nil, "", "", err
	}
	e := auditEntry(q.r, q.now, identity.AuditWalkInRecord, "user:"+strconv.FormatInt(u.ID, 10), string(u.Kind)+"（历史证照导入）")
	if err := audit.Append(ctx, tx, e); err != nil {
		return nil, "", "", err
	}
	return u, "", "", nil
}

// importCtx is who imports and when, for what an import records besides
// licences.
type importCtx struct {
	r   identity.Request
	now time.Time
}
