package identity

import (
	"context"
	"strings"
	"time"

	"github.com/tongban/tongban"
)

// CitizenRegistration is what a natural person gives to register.
type CitizenRegistration struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Password string `json:"password"`
	// PhoneCode is the one-time code sent to Phone, where a walk-in
	// record's phone must be proven (see ClaimWalkIn).
	PhoneCode string `json:"phone_code,omitempty"`
	// AcceptedAgreements is the version of the 用户协议 and 隐私政策 the
	// person read and accepted (AgreementsVersion).
	AcceptedAgreements string `json:"accepted_agreements,omitempty"`
}

// EnterpriseRegistration is what a legal person gives to register.
type EnterpriseRegistration struct {
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	LegalRepName string `json:"legal_rep_name"`
	LegalRepID   string `json:"legal_rep_id_number"`
	Phone        string `json:"phone"`
	Password     string `json:"password"`
	PhoneCode    string `json:"phone_code,omitempty"`
	// AcceptedAgreements: as for citizens.
	AcceptedAgreements string `json:"accepted_agreements,omitempty"`
}

// RegisterCitizen creates a citizen account. One account signs in anywhere
// in the province (一地注册、各地互认): accounts belong to no region.
func (s *Service) RegisterCitizen(ctx context.Context, in CitizenRegistration, r Request) (*tongban.User, error) {
	name, err := trimName("name", in.Name)
	if err != nil {
		return nil, err
	}
	id, err := tongban.ParseIDNumber(in.IDNumber)
	if err != nil {
		return nil, err
	}
	if err := s.bornBeforeToday("id_number", id); err != nil {
		return nil, err
	}
	phone, err := tongban.ParsePhone(in.Phone)
	if err != nil {
		return nil, err
	}
	if err := ValidatePassword("password", in.Password, id.Reveal(), phone.Reveal()); err != nil {
		return nil, err
	}
	if err := checkAgreed(in.AcceptedAgreements); err != nil {
		return nil, err
	}
	// Someone served at a window before has a record already: claim it.
	if rec, err := s.Store.UserByIDNumber(ctx, id); err == nil && !Registered(rec) {
		return s.ClaimWalkIn(ctx, rec, name, phone, in.PhoneCode, in.Password, in.AcceptedAgreements, r)
	} else if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
		return nil, err
	}
	u := &tongban.User{Kind: tongban.UserCitizen, Name: name, IDNumber: id, Phone: phone}
	return u, s.create(ctx, u, in.Password, in.AcceptedAgreements, r, tongban.AuditRegister)
}

// RegisterEnterprise creates a legal-person account with its legal representative.
func (s *Service) RegisterEnterprise(ctx context.Context, in EnterpriseRegistration, r Request) (*tongban.User, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, tongban.FieldError("name", "企业名称不能为空")
	}
	if len([]rune(name)) > 100 {
		return nil, tongban.FieldError("name", "企业名称不能超过100个字")
	}
	code, err := tongban.ParseCreditCode(in.CreditCode)
	if err != nil {
		return nil, err
	}
	repName, err := trimName("legal_rep_name", in.LegalRepName)
	if err != nil {
		return nil, err
	}
	repID, err := tongban.ParseIDNumber(in.LegalRepID)
	if err != nil {
		e := tongban.AsError(err)
		return nil, &tongban.Error{Code: e.Code, Field: "legal_rep_id_number", Message: "法定代表人" + e.Message}
	}
	if err := s.bornBeforeToday("legal_rep_id_number", repID); err != nil {
		return nil, err
	}
	phone, err := tongban.ParsePhone(in.Phone)
	if err != nil {
		return nil, err
	}
	if err := ValidatePassword("password", in.Password, repID.Reveal(), phone.Reveal()); err != nil {
		return nil, err
	}
	if err := checkAgreed(in.AcceptedAgreements); err != nil {
		return nil, err
	}
	if rec, err := s.Store.UserByLogin(ctx, string(code)); err == nil && rec.Kind == tongban.UserEnterprise && !Registered(rec) {
		return s.ClaimWalkIn(ctx, rec, repName, phone, in.PhoneCode, in.Password, in.AcceptedAgreements, r)
	} else if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
		return nil, err
	}
	u := &tongban.User{Kind: tongban.UserEnterprise, Name: name, CreditCode: code,
		LegalRepName: repName, LegalRepID: repID, Phone: phone}
	return u, s.create(ctx, u, in.Password, in.AcceptedAgreements, r, tongban.AuditRegister)
}

// create hashes the password and stores the account with its audit entry in
// one transaction.
func (s *Service) create(ctx context.Context, u *tongban.User, password, agreed string, r Request, action string) error {
	hash, err := HashPassword(password, s.Argon2)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	u.CreatedAt = s.Clock.Now()
	return s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := s.recordAgreements(ctx, tx, u.ID, agreed); err != nil {
			return err
		}
		if r.Actor == nil && action == tongban.AuditRegister {
			r.Actor = u
		}
		return s.audit(ctx, tx, r, action, userObject(u.ID), string(u.Kind))
	})
}

// bornBeforeToday refuses an ID number whose birth date has not come yet:
// its check digit may be right, the person cannot exist.
func (s *Service) bornBeforeToday(field string, id tongban.IDNumber) error {
	y, m, d := id.BirthDate()
	now := s.Clock.Now().In(chinaTime)
	if time.Date(y, time.Month(m), d, 0, 0, 0, 0, chinaTime).After(now) {
		return tongban.FieldError(field, "身份证号中的出生日期晚于今天，请核对")
	}
	return nil
}

// chinaTime is China Standard Time, in which birth dates are written.
var chinaTime = time.FixedZone("CST", 8*3600)
