package audit

import (
	"context"
	"fmt"

	"github.com/tongban/tongban"
)

// Report is the outcome of a chain verification.
type Report struct {
	Entries  int64  // entries checked
	BrokenAt int64  // sequence number of the first broken link; 0 when intact
	Reason   string // why that link is broken
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return r.BrokenAt == 0 }

func (r Report) String() string {
	if r.OK() {
		return fmt.Sprintf("审计日志完整：已校验 %d 条记录 (audit log intact: %d entries verified)", r.Entries, r.Entries)
	}
	return fmt.Sprintf("审计日志在第 %d 条记录处断裂 (audit chain broken at entry %d): %s", r.BrokenAt, r.BrokenAt, r.Reason)
}

const pageSize = 2000

// Verify walks the whole chain in order and reports the first broken link:
// a gap in sequence numbers (a removed row), a previous-hash mismatch, a hash
// that does not match the row's fields (an altered row), or a head that
// points past the last row (removed tail).
func Verify(ctx context.Context, st tongban.Store) (Report, error) {
	var rep Report
	var prevSeq int64
	prevHash := ""
	for {
		page, err := st.AuditEntries(ctx, prevSeq, pageSize)
		if err != nil {
			return rep, err
		}
		for _, e := range page {
			switch {
			case e.Seq != prevSeq+1:
				rep.BrokenAt, rep.Reason = prevSeq+1, fmt.Sprintf("记录 %d 缺失 (entry missing; next present is %d)", prevSeq+1, e.Seq)
			case e.PrevHash != prevHash:
				rep.BrokenAt, rep.Reason = e.Seq, "前序哈希不符 (prev_hash does not match the previous entry)"
			case Hash(prevHash, e) != e.Hash:
				rep.BrokenAt, rep.Reason = e.Seq, "记录内容与哈希不符，记录已被改动 (fields do not match the hash: row altered)"
			}
			if !rep.OK() {
				return rep, nil
			}
			rep.Entries++
			prevSeq, prevHash = e.Seq, e.Hash
		}
		if len(page) < pageSize {
			break
		}
	}
	headSeq, headHash, err := st.AuditHead(ctx)
	if err != nil {
		return rep, err
	}
	if headSeq != prevSeq || headHash != prevHash {
		rep.BrokenAt = prevSeq + 1
		rep.Reason = fmt.Sprintf("链头指向第 %d 条，但最后一条为第 %d 条：末尾记录被删除 (head points past the last entry: tail removed)", headSeq, prevSeq)
	}
	return rep, nil
}
