package audit

import (
	"context"
	"fmt"

	"github.com/tongban/tongban"
)

// Report is the outcome of a chain verification.
type Report struct {
	Entries  int64  // entries checked
	BrokenAt int64  // sequence number of the first entry that disagrees; 0 when intact
	Reason   string // why
	// BadCheckpointLine is the first line of the checkpoint file whose
	// signature fails (a forged or altered checkpoint); 0 when all verify.
	BadCheckpointLine int
	Checkpoints       int // checkpoints the chain was held against
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return r.BrokenAt == 0 && r.BadCheckpointLine == 0 }

func (r Report) String() string {
	switch {
	case r.BrokenAt != 0:
		return fmt.Sprintf("审计日志在第 %d 条记录处断裂 (audit chain broken at entry %d): %s", r.BrokenAt, r.BrokenAt, r.Reason)
	case r.BadCheckpointLine != 0:
		return fmt.Sprintf("审计日志检查点无效 (bad checkpoint): %s", r.Reason)
	}
	return fmt.Sprintf("审计日志完整：已校验 %d 条记录、%d 个检查点 (audit log intact: %d entries, %d checkpoints verified)",
		r.Entries, r.Checkpoints, r.Entries, r.Checkpoints)
}

const pageSize = 2000

// Verify checks the links alone: every entry against the key and its
// predecessor, and the head. Anchor.Verify also holds the chain against
// the signed checkpoints kept outside the database.
func Verify(ctx context.Context, st tongban.Store) (Report, error) { return verify(ctx, st, nil) }

// verify walks the chain from its genesis in order and reports the first
// entry that disagrees: a gap in sequence numbers (a removed row), a
// previous-hash mismatch, a link that does not match the row's fields under
// the key (an altered row, or links recomputed without the key), an entry
// whose hash differs from a checkpoint's (links recomputed with the key),
// or an end before the head or before the last checkpoint (a cut tail).
// With checkpoints (non-nil), a chain that starts after a purge must match
// a signed genesis checkpoint.
func verify(ctx context.Context, st tongban.Store, cps []Checkpoint) (Report, error) {
	var rep Report
	state, err := st.AuditChainState(ctx)
	if err != nil {
		return rep, err
	}
	link := func(prev string, e *tongban.AuditEntry) string { return Hash(st.AuditChainKey(), prev, e) }
	if state.KeyedAt.IsZero() {
		link = unkeyedHash // before the re-key at the first start after migration 00010
	}
	heads := map[int64]Checkpoint{}
	var last Checkpoint // the furthest checkpoint
	genesisSigned := state.GenesisSeq == 0
	for _, c := range cps {
		if c.Kind == KindGenesis && c.Seq == state.GenesisSeq && c.Hash == state.GenesisHash {
			genesisSigned = true
		}
		if c.Seq <= state.GenesisSeq {
			continue
		}
		rep.Checkpoints++
		if c.Kind == KindHead {
			heads[c.Seq] = c
		}
		if c.Seq > last.Seq {
			last = c
		}
	}
	prevSeq, prevHash := state.GenesisSeq, state.GenesisHash
	if cps != nil && !genesisSigned {
		rep.BrokenAt = 1
		rep.Reason = fmt.Sprintf("链从第 %d 条之后开始，但没有签名的清理检查点说明第 1–%d 条已按保存期限清理：开头记录被删除 (chain starts after entry %d with no signed purge checkpoint: head of the log removed)",
			state.GenesisSeq, state.GenesisSeq, state.GenesisSeq)
		return rep, nil
	}
	lastGood := prevSeq // the last entry a checkpoint confirmed
	for {
		page, err := st.AuditEntries(ctx, prevSeq, pageSize)
		if err != nil {
			return rep, err
		}
		for _, e := range page {
			c, checked := heads[e.Seq]
			switch {
			case e.Seq != prevSeq+1:
				rep.BrokenAt, rep.Reason = prevSeq+1, fmt.Sprintf("记录 %d 缺失 (entry missing; next present is %d)", prevSeq+1, e.Seq)
			case e.PrevHash != prevHash:
				rep.BrokenAt, rep.Reason = e.Seq, "前序哈希不符 (prev_hash does not match the previous entry)"
			case link(prevHash, e) != e.Hash:
				rep.BrokenAt, rep.Reason = e.Seq, "记录内容与密钥哈希不符，记录已被改动 (fields do not match the keyed hash: row altered)"
			case checked && c.Hash != e.Hash:
				rep.BrokenAt = lastGood + 1
				rep.Reason = fmt.Sprintf("第 %d 条与 %s 的签名检查点不符：第 %d–%d 条之间的记录被改写并重算了哈希 (entry %d disagrees with the signed checkpoint of %s: entries %d–%d were rewritten with recomputed hashes)",
					e.Seq, c.At.Format("2006-01-02 15:04:05Z"), lastGood+1, e.Seq, e.Seq, c.At.Format("2006-01-02 15:04:05Z"), lastGood+1, e.Seq)
			}
			if rep.BrokenAt != 0 {
				return rep, nil
			}
			if checked {
				lastGood = e.Seq
			}
			rep.Entries++
			prevSeq, prevHash = e.Seq, e.Hash
		}
		if len(page) < pageSize {
			break
		}
	}
	if last.Seq > prevSeq {
		rep.BrokenAt = prevSeq + 1
		rep.Reason = fmt.Sprintf("%s 的签名检查点记载链已到第 %d 条，但最后一条为第 %d 条：末尾记录被删除 (a signed checkpoint says the chain reached entry %d, the log ends at %d: tail removed)",
			last.At.Format("2006-01-02 15:04:05Z"), last.Seq, prevSeq, last.Seq, prevSeq)
		return rep, nil
	}
	if state.HeadSeq != prevSeq || state.HeadHash != prevHash {
		rep.BrokenAt = prevSeq + 1
		rep.Reason = fmt.Sprintf("链头指向第 %d 条，但最后一条为第 %d 条：末尾记录被删除 (head points past the last entry: tail removed)", state.HeadSeq, prevSeq)
	}
	return rep, nil
}
