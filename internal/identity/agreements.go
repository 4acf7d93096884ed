package identity

import (
	"context"

	"github.com/tongban/tongban"
)

// AgreementsVersion is the version of the 用户协议 and 隐私政策 in force
// (internal/web/templates/agreement_*.html). Registering records which
// version the person accepted; a new version is a new value here and new
// texts there.
const AgreementsVersion = "2026-03-01"

// The documents a registration accepts.
const (
	DocTerms   = "terms"   // 用户协议
	DocPrivacy = "privacy" // 隐私政策
)

// checkAgreed refuses a registration naming a version that is not in force.
// An empty version means the client did not show the texts (older API
// clients); nothing is recorded then, which the account's record shows.
func checkAgreed(version string) error {
	if version != "" && version != AgreementsVersion {
		return tongban.FieldError("accepted_agreements", "用户协议和隐私政策已更新（现行版本 %s），请阅读后重新确认", AgreementsVersion)
	}
	return nil
}

// recordAgreements stores the acceptance of both documents at version,
// in the registration's transaction.
func (s *Service) recordAgreements(ctx context.Context, tx tongban.Store, userID int64, version string) error {
	if version == "" {
		return nil
	}
	for _, doc := range []string{DocTerms, DocPrivacy} {
		if err := tx.AcceptAgreement(ctx, &tongban.AgreementAcceptance{UserID: userID, Document: doc, Version: version,
			AcceptedAt: s.Clock.Now()}); err != nil {
			return err
		}
	}
	return nil
}
