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

// Face keys of an organisation's licence that name its holder.
const (
	faceCreditCode = "credit_code"
	faceEntityName = "entity_name"
	faceLegalRep   = "legal_rep"
)

// foundedHolder is the holder of an org-held licence a person applied for:
// the founder of an enterprise applies for 企业设立登记, and the 营业执照
// is the NEW enterprise's, named on the face by its 统一社会信用代码
// (checked by GB 32100) and 名称. The enterprise is found by its code —
// a walk-in record from a window or an import — or recorded now without a
// password, as an import records holders (holderRecord): its legal
// representative as the face names them and the founder's phone, so that
// when the founder registers the enterprise (identity.ClaimWalkIn: the
// legal representative's name and that phone) it claims this record and
// finds the licence in its wallet. A registered enterprise applies itself.
// It runs in the transaction: a refused issue records nobody.
func foundedHolder(ctx context.Context, tx tongban.Store, typ *tongban.LicenseType, face map[string]string, founder *tongban.User, c *tongban.Case, now time.Time) (*tongban.User, error) {
	if founder.IDNumber == "" {
		return nil, tongban.FieldError("holder", "申请人没有经核验的证件号码，不能作为所设企业的申请人")
	}
	codeName, nameName := fieldName(typ, faceCreditCode), fieldName(typ, faceEntityName)
	if codeName == "" || nameName == "" {
		return nil, tongban.FieldError("holder", "「%s」的持证主体应为法人或其他组织，申请人是自然人，不能签发", typ.Name)
	}
	raw := strings.TrimSpace(face[codeName])
	if raw == "" {
		return nil, tongban.FieldError("face."+faceCreditCode, "「%s」的持证主体应为法人或其他组织：申请人是自然人时，照面须载明所设企业的「%s」", typ.Name, codeName)
	}
	if strings.Contains(codeName, "身份证") { // 社会信用代码（身份证号码）
		if id, err := tongban.ParseIDNumber(raw); err == nil {
			return vendorHolder(typ, face, codeName, id, founder)
		}
	}
	code, err := tongban.ParseCreditCode(raw)
	if err != nil {
		if strings.Contains(codeName, "身份证") {
			return nil, tongban.FieldError("face."+faceCreditCode, "照面「%s」既不是有效的统一社会信用代码，也不是有效的居民身份证号码：%s", codeName, tongban.AsError(err).Message)
		}
		return nil, tongban.FieldError("face."+faceCreditCode, "照面「%s」有误：%s", codeName, tongban.AsError(err).Message)
	}
	face[codeName] = string(code)
	name := strings.TrimSpace(face[nameName])
	switch {
	case name == "":
		return nil, tongban.FieldError("face."+faceEntityName, "照面须载明所设企业的「%s」", nameName)
	case utf8.RuneCountInString(name) > 100:
		return nil, tongban.FieldError("face."+faceEntityName, "照面「%s」不能超过100个字", nameName)
	}
	u, err := tx.UserByLogin(ctx, string(code))
	switch {
	case err == nil && u.Kind != tongban.UserEnterprise:
		return nil, tongban.FieldError("face."+faceCreditCode, "照面「%s」%s 不是企业的代码", codeName, code)
	case err == nil && identity.Registered(u):
		return nil, tongban.FieldError("face."+faceCreditCode, "统一社会信用代码 %s 已是注册企业「%s」的账号：应由该企业申请", code, u.Name)
	case err == nil:
		return u, nil
	case !tongban.IsCode(err, tongban.ENotFound):
		return nil, err
	}
	u = &tongban.User{Kind: tongban.UserEnterprise, Name: name, CreditCode: code, Phone: founder.Phone, CreatedAt: now}
	if rep := fieldName(typ, faceLegalRep); rep != "" {
		u.LegalRepName = strings.TrimSpace(face[rep])
	}
	if u.LegalRepName == "" || u.LegalRepName == founder.Name {
		u.LegalRepName, u.LegalRepID = founder.Name, founder.IDNumber
	}
	if err := tx.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	e := auditEntry(identity.Request{}, now, identity.AuditWalkInRecord, "user:"+strconv.FormatInt(u.ID, 10),
		string(u.Kind)+"（"+c.Number+"号办件签发"+typ.Name+"，申请人为设立人）")
	return u, audit.Append(ctx, tx, e)
}

// fieldName is the printed name of the type's face field with key, or "".
func fieldName(typ *tongban.LicenseType, key string) string {
	for _, f := range typ.Fields {
		if f.Key == key {
			return f.Name
		}
	}
	return ""
}

// vendorHolder is the holder of an org-held licence whose face names a
// person by 居民身份证号码 where it allows one (食品经营许可证's
// 社会信用代码（身份证号码）): an individual vendor (个体经营者) holds it
// in their own name. The number must be the applicant's own — a person
// is not made the holder of a licence by someone else's application — and
// the licence is then the applicant's (holder kind 自然人, code type
// 身份证), in their wallet; its number is sealed at rest and masked on
// pages as every ID number on a licence is.
func vendorHolder(typ *tongban.LicenseType, face map[string]string, codeName string, id tongban.IDNumber, applicant *tongban.User) (*tongban.User, error) {
	if applicant.IDNumber != id {
		return nil, tongban.FieldError("face."+faceCreditCode, "照面「%s」载明的居民身份证号码不是申请人本人的：个体经营者应本人申请「%s」", codeName, typ.Name)
	}
	face[codeName] = string(id)
	return applicant, nil
}
