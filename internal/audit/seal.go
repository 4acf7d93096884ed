package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/tongban/tongban"
)

// sealBatch bounds one sealing transaction, so the head is never held long.
const sealBatch = 500

// Seal links every queued entry into the chain and returns how many it
// linked. Any number of servers may seal at once: each batch runs under the
// lock on the chain head, and a batch reads the queue only after taking it.
func Seal(ctx context.Context, st tongban.Store) (int, error) {
	total := 0
	for {
		n, err := sealOnce(ctx, st)
		total += n
		if err != nil || n < sealBatch {
			return total, err
		}
	}
}

func sealOnce(ctx context.Context, st tongban.Store) (int, error) {
	if waiting, err := st.HasQueuedAudit(ctx); err != nil || !waiting {
		return 0, err
	}
	n := 0
	err := st.Transact(ctx, func(tx tongban.Store) error {
		seq, head, err := tx.AuditHead(ctx)
		if err != nil {
			return err
		}
		key := tx.AuditChainKey()
		queued, err := tx.QueuedAudit(ctx, sealBatch)
		if err != nil {
			return err
		}
		entries := make([]*tongban.AuditEntry, len(queued))
		ids := make([]int64, len(queued))
		for i, q := range queued {
			e := q.Entry
			e.At = e.At.UTC()
			seq++
			e.Seq, e.PrevHash = seq, head
			e.Hash = Hash(key, head, e)
			head = e.Hash
			entries[i], ids[i] = e, q.ID
		}
		n = len(entries)
		return tx.ChainAudit(ctx, entries, ids)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Entries seals what is queued, then returns chained entries after seq, so
// readers of the log see every action that has committed.
func Entries(ctx context.Context, st tongban.Store, after int64, limit int) ([]*tongban.AuditEntry, error) {
	if _, err := Seal(ctx, st); err != nil {
		return nil, err
	}
	return st.AuditEntries(ctx, after, limit)
}

// SealEvery is how often a server links queued entries: an entry is outside
// the chain (and so unprotected) for about this long.
const SealEvery = 200 * time.Millisecond

// Sealer seals in the background until stopped.
type Sealer struct {
	stop chan struct{}
	done chan struct{}
}

// StartSealer seals every interval, and after a seal writes a checkpoint of
// the head through anchor (at most every CheckpointEvery); Stop seals and
// checkpoints once more, then returns.
func StartSealer(st tongban.Store, anchor *Anchor, log *slog.Logger, interval time.Duration) *Sealer {
	s := &Sealer{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				if _, err := Seal(ctx, st); err != nil {
					log.Warn("audit seal on stop", "err", err)
				} else if err := anchor.CheckpointHead(ctx, st, 0); err != nil {
					log.Warn("audit checkpoint on stop", "err", err)
				}
				cancel()
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				if _, err := Seal(ctx, st); err != nil {
					log.Warn("audit seal", "err", err)
				} else if err := anchor.CheckpointHead(ctx, st, CheckpointEvery); err != nil {
					log.Warn("audit checkpoint", "err", err)
				}
				cancel()
			}
		}
	}()
	return s
}

// Stop ends the background sealing after a last seal.
func (s *Sealer) Stop() {
	close(s.stop)
	<-s.done
}
