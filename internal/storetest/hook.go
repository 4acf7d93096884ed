package storetest

import (
	"context"

	"github.com/tongban/tongban"
)

// BeforeFirstTransact is a store that runs Before at the start of its first
// transaction, outside it: something another server commits between a
// caller's reads before its transaction and the transaction itself (a
// licence revoked, say). Transactions counts the transactions begun.
type BeforeFirstTransact struct {
	tongban.Store
	Before       func() error
	Transactions int
}

func (s *BeforeFirstTransact) Transact(ctx context.Context, fn func(tongban.Store) error) error {
	s.Transactions++
	if s.Transactions == 1 {
		if err := s.Before(); err != nil {
			return err
		}
	}
	return s.Store.Transact(ctx, fn)
}
