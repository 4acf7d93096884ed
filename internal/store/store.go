// Package store implements the root package's store interfaces once, over
// database/sql, for both SQLite and PostgreSQL. It holds no business rules:
// those live in internal/<concept> above it.
package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/tongban/tongban"
	"github.com/tongban/tongban/internal/sealer"
	"github.com/tongban/tongban/internal/sqldb"
)

// Store is a tongban.Store on one database. Outside a transaction q is the
// pool; inside Transact it is the transaction.
type Store struct {
	db     *sqldb.DB
	q      sqldb.Querier
	inTx   bool
	sealer *sealer.Sealer
	cases  *caseCache // cases read with their events, checked at each read (case_cache.go)
	links  *linkCache // verify links with their licences, checked at each read (license_link_cache.go)
	// licences claimed by identifier, checked at each read (license_claim_cache.go)
	licences *licenceCache
	horizons *horizons // append-only tables' horizons proven so far (horizon.go); shared with transactions
}

var _ tongban.Store = (*Store)(nil)

// New returns a Store over db; personal fields are sealed with s.
func New(db *sqldb.DB, s *sealer.Sealer) *Store {
	return &Store{db: db, q: db.Pool(), sealer: s, cases: newCaseCache(DefaultCaseCache), links: newLinkCache(),
		licences: newLicenceCache(), horizons: newHorizons()}
}

// DB returns the underlying database.
func (s *Store) DB() *sqldb.DB { return s.db }

// Transact runs fn in one transaction; inside a transaction it joins it.
func (s *Store) Transact(ctx context.Context, fn func(tongban.Store) error) error {
	if s.inTx {
		return fn(s)
	}
	err := s.db.Transact(ctx, func(tx *sql.Tx) error {
		return fn(&Store{db: s.db, q: s.db.InTx(tx), inTx: true, sealer: s.sealer, horizons: s.horizons})
	})
	return classify(err)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return tongban.Wrap(tongban.EUnavailable, err, "数据库暂时不可用")
	}
	return nil
}

// classify turns driver errors that mean "the database is gone" into
// EUnavailable so clients get a 503 they can retry, and leaves coded errors alone.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var te *tongban.Error
	if errors.As(err, &te) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return tongban.Wrap(tongban.EUnavailable, err, "请求超时或已取消")
	}
	if isConnectionError(err) {
		return tongban.Wrap(tongban.EUnavailable, err, "数据库暂时不可用，请稍后再试")
	}
	return err
}

// notFound returns ENotFound for sql.ErrNoRows and classifies the rest.
func notFound(err error, format string, args ...any) error {
	if sqldb.IsNoRows(err) {
		return tongban.Errorf(tongban.ENotFound, format, args...)
	}
	return classify(err)
}
