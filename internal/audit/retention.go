package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/tongban/tongban"
)

// MinRetention is the shortest retention 等保 2.0 allows for audit records
// (at least six months); DefaultRetention is what Tongban keeps unless told.
const (
	MinRetention     = 180 * 24 * time.Hour
	DefaultRetention = 180 * 24 * time.Hour
)

// Purge deletes entries written before now−retention. The chain stays
// verifiable: the last purged entry becomes its genesis, and a signed
// genesis checkpoint says so outside the database before anything is
// deleted (verification refuses a genesis no checkpoint signs). The purge
// is itself recorded in the log. It returns how many entries went.
func Purge(ctx context.Context, st tongban.Store, a *Anchor, now time.Time, retention time.Duration) (int64, error) {
	if retention < MinRetention {
		return 0, fmt.Errorf("audit retention %s is shorter than the %s 等保 requires", retention, MinRetention)
	}
	if _, err := Seal(ctx, st); err != nil {
		return 0, err
	}
	state, err := st.AuditChainState(ctx)
	if err != nil {
		return 0, err
	}
	seq, hash, err := st.AuditEntryBefore(ctx, now.Add(-retention))
	if err != nil || seq <= state.GenesisSeq {
		return 0, err
	}
	if err := a.Write(ctx, Checkpoint{Kind: KindGenesis, Seq: seq, Hash: hash, At: now.UTC()}); err != nil {
		return 0, err
	}
	var n int64
	err = st.Transact(ctx, func(tx tongban.Store) error {
		if _, _, err := tx.AuditHead(ctx); err != nil {
			return err
		}
		if n, err = tx.PurgeAudit(ctx, seq, hash); err != nil {
			return err
		}
		return Append(ctx, tx, &tongban.AuditEntry{At: now, Actor: "系统", Action: tongban.AuditChainPurge, Object: "audit:chain",
			Detail: fmt.Sprintf("按保存期限（%d 天）清理第 %d 条及以前的 %d 条记录；链自第 %d 条起，签名检查点为新起点", int(retention.Hours()/24), seq, n, seq+1)})
	})
	return n, err
}
