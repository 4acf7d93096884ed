package license

import (
	"context"
	"strconv"
	"time"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/audit"
	"github.com/tongban/tongban/internal/identity"
)

// AuditShareRevoke is the audit action of a holder withdrawing a share link.
const AuditShareRevoke = "license_share_revoke"

// RevokeShare withdraws one of the holder's share links (加注件) of l: from
// then on the link is refused. It is an audited action, in one transaction
// with the withdrawal, so the record says who took a shared licence back
// and when; the detail names the licence and the share, no personal data.
func RevokeShare(ctx context.Context, st tongban.Store, r identity.Request, l *tongban.License, linkID int64, now time.Time) (*tongban.LicenseLink, error) {
	if r.Actor == nil || l.HolderID != r.Actor.ID {
		return nil, tongban.Errorf(tongban.ENotFound, "电子证照 %s 不存在", l.Identifier)
	}
	var out *tongban.LicenseLink
	err := st.Transact(ctx, func(tx tongban.Store) error {
		if err := tx.RevokeShareLink(ctx, l.ID, linkID, now); err != nil {
			return err
		}
		shares, err := tx.ShareLinks(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, k := range shares {
			if k.ID == linkID {
				out = k
			}
		}
		if out == nil {
			return tongban.Errorf(tongban.ENotFound, "没有该加注件")
		}
		return audit.Append(ctx, tx, auditEntry(r, now, AuditShareRevoke, "license_link:"+strconv.FormatInt(linkID, 10),
			l.TypeName+" "+l.Number+" 撤销加注件："+Annotation(out)))
	})
	return out, err
}
