package identity

import (
	"context"
	"strings"

	"github.com/tongban/tongban"
)

// Walk-ins (一窗受理): a window serves whoever stands at it, account or not.
// The clerk, who has the person's ID card (or the enterprise's licence) in
// hand, identifies them; a person without an account gets an applicant
// record without a password. When they later register with the same ID
// number or credit code, registration claims that record (ClaimWalkIn), so
// they find their cases under one account.

// Audit actions of walk-ins.
const (
	AuditWalkInRecord = "walkin_record" // a counter recorded an applicant without an account
	AuditWalkInClaim  = "walkin_claim"  // registration set the password of such a record
)

// WalkIn is who a clerk identifies at a window: a citizen by name, ID
// number and phone, or an enterprise by credit code, name, legal
// representative and phone. Name and phone may be left empty for someone
// already registered.
type WalkIn struct {
	IDNumber     string
	CreditCode   string
	Name         string
	Phone        string
	LegalRepName string
}

// Registered reports whether the account can sign in: a walk-in record has
// no password until its person registers (or a counter link sets one).
func Registered(u *tongban.User) bool { return u.PasswordHash != "" }

// Applicant returns the applicant a clerk identifies at a window, recording
// one without a password if they have no account. Only staff who take
// applications may do this, so it is no lookup service. A name given for a
// known applicant must match (the clerk read it off the ID card); created
// reports a new record.
func (s *Service) Applicant(ctx context.Context, in WalkIn, r Request) (u *tongban.User, created bool, err error) {
	if err := s.Require(r.Actor, PermCaseAccept); err != nil {
		return nil, false, tongban.Errorf(tongban.EForbidden, "只有综合窗口人员可以代申请人提交申请")
	}
	enterprise := in.CreditCode != ""
	field := "applicant_id_number"
	var found *tongban.User
	if enterprise {
		field = "applicant_credit_code"
		code, err := tongban.ParseCreditCode(in.CreditCode)
		if err != nil {
			return nil, false, renameField(err, field)
		}
		in.CreditCode = string(code)
		found, err = s.Store.UserByLogin(ctx, in.CreditCode)
		if err == nil && found.Kind != tongban.UserEnterprise {
			err = tongban.Errorf(tongban.ENotFound, "not an enterprise")
		}
		if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
			return nil, false, err
		}
	} else {
		id, err := tongban.ParseIDNumber(in.IDNumber)
		if err != nil {
			return nil, false, renameField(err, field)
		}
		in.IDNumber = string(id)
		found, err = s.Store.UserByIDNumber(ctx, id)
		if err != nil && !tongban.IsCode(err, tongban.ENotFound) {
			return nil, false, err
		}
	}
	name := strings.TrimSpace(in.Name)
	if found != nil {
		if found.Kind == tongban.UserStaff {
			return nil, false, tongban.FieldError(field, "申请人须为自然人或法人账号")
		}
		if name != "" && name != found.Name {
			return nil, false, tongban.FieldError("applicant_name", "姓名与证件号码登记的不一致，请核对证件")
		}
		s.Log.InfoContext(ctx, "applicant identified at a window", "actor", r.Actor.ID, "applicant", found.ID)
		return found, false, nil
	}
	u, err = s.walkInRecord(in, enterprise)
	if err != nil {
		return nil, false, err
	}
	u.CreatedAt = s.Clock.Now()
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, tx, r, AuditWalkInRecord, userObject(u.ID), string(u.Kind))
	})
	if err != nil {
		return nil, false, err
	}
	s.Log.InfoContext(ctx, "walk-in applicant recorded", "actor", r.Actor.ID, "applicant", u.ID)
	return u, true, nil
}

// walkInRecord checks what a clerk typed for someone without an account.
func (s *Service) walkInRecord(in WalkIn, enterprise bool) (*tongban.User, error) {
	if strings.TrimSpace(in.Name) == "" {
		return nil, tongban.FieldError("applicant_name", "该申请人尚无账号：请按证件填写申请人姓名（企业名称），窗口将为其登记")
	}
	var phone tongban.Phone
	if strings.TrimSpace(in.Phone) != "" {
		p, err := tongban.ParsePhone(in.Phone)
		if err != nil {
			return nil, renameField(err, "applicant_phone")
		}
		phone = p
	}
	if !enterprise {
		name, err := trimName("applicant_name", in.Name)
		if err != nil {
			return nil, err
		}
		return &tongban.User{Kind: tongban.UserCitizen, Name: name, IDNumber: tongban.IDNumber(in.IDNumber), Phone: phone}, nil
	}
	name := strings.TrimSpace(in.Name)
	if len([]rune(name)) > 100 {
		return nil, tongban.FieldError("applicant_name", "企业名称不能超过100个字")
	}
	rep, err := trimName("applicant_legal_rep_name", in.LegalRepName)
	if err != nil {
		return nil, tongban.FieldError("applicant_legal_rep_name", "请填写法定代表人姓名")
	}
	return &tongban.User{Kind: tongban.UserEnterprise, Name: name, CreditCode: tongban.CreditCode(in.CreditCode),
		LegalRepName: rep, Phone: phone}, nil
}

// PhoneProof checks that the person registering controls the phone a
// counter recorded, by the one-time code texted to it
// (notify.Codes.ProveWalkInPhone, set wherever the platform sends SMS).
// Without it (SMS off) ClaimWalkIn relies on the recorded phone and name
// matching what the person types — which anyone who knows them could
// type: docs/front-line.md says so.
type PhoneProof func(ctx context.Context, userID int64, phone tongban.Phone, code string) error

// ClaimWalkIn is the one path by which registration takes over a walk-in
// record: the name (for an enterprise, the legal representative) must be
// the one the counter recorded, the phone the one it recorded, and, when
// s.ProvePhone is set, proven by the code. Then the record gets the
// password, and the person signs in to find the cases the counter filed.
func (s *Service) ClaimWalkIn(ctx context.Context, rec *tongban.User, name string, phone tongban.Phone, code, password, agreed string, r Request) (*tongban.User, error) {
	if Registered(rec) {
		return nil, tongban.Errorf(tongban.EConflict, "该证件号码已注册，请直接登录；忘记密码请到窗口或使用找回密码")
	}
	who := rec.Name
	if rec.Kind == tongban.UserEnterprise {
		who = rec.LegalRepName
	}
	switch {
	case rec.Phone == "":
		return nil, tongban.FieldError("phone", "您在窗口办理时未登记手机号：请携带身份证到政务服务大厅窗口，由工作人员为您开通账号")
	case strings.TrimSpace(name) != who || phone != rec.Phone:
		return nil, tongban.FieldError("phone", "姓名或手机号与您在窗口办理时登记的不一致：请填写当时登记的手机号，或携带身份证到窗口开通账号")
	}
	if s.ProvePhone != nil {
		if err := s.ProvePhone(ctx, rec.ID, phone, code); err != nil {
			return nil, err
		}
	}
	hash, err := HashPassword(password, s.Argon2)
	if err != nil {
		return nil, err
	}
	if r.Actor == nil {
		r.Actor = rec
	}
	err = s.Store.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.SetPassword(ctx, rec.ID, hash); err != nil {
			return err
		}
		if err := s.recordAgreements(ctx, tx, rec.ID, agreed); err != nil {
			return err
		}
		if s.ProvePhone != nil { // the code proved the number: it is the account's now
			if err := tx.MarkPhoneVerified(ctx, rec.ID, phone, s.Clock.Now()); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, r, AuditPhoneVerified, userObject(rec.ID), phone.Masked()); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, r, AuditWalkInClaim, userObject(rec.ID), string(rec.Kind))
	})
	if err != nil {
		return nil, err
	}
	rec.PasswordHash = hash
	if s.ProvePhone != nil {
		s.auth.forgetAll() // the number may have left another account
	}
	s.Log.InfoContext(ctx, "walk-in record claimed by registration", "user", rec.ID)
	return rec, nil
}

// renameField keeps err's message and code under another field name.
func renameField(err error, field string) error {
	e := tongban.AsError(err)
	return &tongban.Error{Code: e.Code, Field: field, Message: e.Message, Err: e.Err}
}
