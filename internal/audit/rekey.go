package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/tongban/tongban"
)

// Rekey turns a chain of plain SM3 links (written before migration 00010)
// into a keyed one, in one pass from its first entry, and records it in the
// log. It first checks the old links, so a break the old chain had is named
// in that record rather than hidden by the new links. It does nothing on a
// keyed chain, so every server may call it at start.
func Rekey(ctx context.Context, st tongban.Store, now time.Time) (int64, error) {
	if state, err := st.AuditChainState(ctx); err != nil || !state.KeyedAt.IsZero() {
		return 0, err
	}
	var n int64
	err := st.Transact(ctx, func(tx tongban.Store) error {
		n = 0
		if _, _, err := tx.AuditHead(ctx); err != nil { // lock the head: no seal meanwhile
			return err
		}
		state, err := tx.AuditChainState(ctx)
		if err != nil || !state.KeyedAt.IsZero() {
			return err
		}
		key := tx.AuditChainKey()
		oldPrev, newPrev, prevSeq := state.GenesisHash, state.GenesisHash, state.GenesisSeq
		oldChain := "完整"
		for {
			page, err := tx.AuditEntries(ctx, prevSeq, pageSize)
			if err != nil {
				return err
			}
			for _, e := range page {
				if oldChain == "完整" && (e.Seq != prevSeq+1 || e.PrevHash != oldPrev || unkeyedHash(oldPrev, e) != e.Hash) {
					oldChain = fmt.Sprintf("在第 %d 条处已断裂", e.Seq)
				}
				oldPrev = e.Hash
				e.PrevHash = newPrev
				e.Hash = Hash(key, newPrev, e)
				newPrev, prevSeq = e.Hash, e.Seq
				n++
			}
			if err := tx.RehashAudit(ctx, page); err != nil {
				return err
			}
			if len(page) < pageSize {
				break
			}
		}
		if oldChain == "完整" && (state.HeadSeq != prevSeq || state.HeadHash != oldPrev) {
			oldChain = fmt.Sprintf("链头指向第 %d 条，末尾已缺失", state.HeadSeq)
		}
		if err := tx.KeyAuditHead(ctx, newPrev, now); err != nil {
			return err
		}
		return Append(ctx, tx, &tongban.AuditEntry{At: now, Actor: "系统", Action: tongban.AuditChainRekey, Object: "audit:chain",
			Detail: fmt.Sprintf("审计链改为密钥哈希（SM3-HMAC），自第 1 条起重新链接 %d 条记录；原链%s", n, oldChain)})
	})
	return n, err
}
