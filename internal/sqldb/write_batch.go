package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Group commit. On SQLite a write transaction's commit waits for its
// fsync (synchronous FULL), and one writer runs at a time, so under load
// each write paid a whole fsync of its own while the others queued behind
// it (docs/benchmarks.md). Instead, while other write transactions wait
// for the writer, the one that has finished hands its open transaction on
// uncommitted; the next runs under a savepoint of its own inside it, so
// one that fails rolls back alone. The last (no one waiting, or
// maxWriteBatch run) commits them all with one fsync, and none of them
// returns before that commit: a caller still learns of its write only once
// it is durable, and no reader sees it before then. A failure that rolls
// the whole transaction back (SQLite does so on an interrupted write, a
// full disk or an I/O error) fails every member still waiting with
// errWriteBatchLost, which Transact retries from the start, as it does a
// busy database.

// maxWriteBatch bounds how many transactions one commit carries, and so
// how long the first of them waits for it.
const maxWriteBatch = 16

// errWriteBatchLost: the shared transaction was rolled back by another
// member's failure; nothing of this one was committed.
var errWriteBatchLost = errors.New("sqldb: the shared write transaction was rolled back")

// writeBatch is the write transaction members share until it commits.
type writeBatch struct {
	tx      *sql.Tx
	members int           // every one that joined, numbering the savepoints
	kept    int           // those whose work the commit carries
	done    chan struct{} // closed once tx has committed or been lost
	err     error         // why, when it did not commit; set before done closes
}

// transactWrite runs fn as one member of a write batch (SQLite, with the
// write connection held).
func (db *DB) transactWrite(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := db.acquireWriter(ctx); err != nil {
		return err
	}
	if !db.holdsWriteConn() {
		db.endBatch(true)
		defer db.releaseWriter()
		db.releaseWriteConn()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		return runTx(tx, fn)
	}
	b, err := db.batchToJoin(ctx)
	if err != nil {
		db.releaseWriter()
		return fmt.Errorf("begin: %w", err)
	}
	b.members++
	savepoint := "tongban_write_" + strconv.Itoa(b.members)
	// The batch outlives this caller's context: cancelling it must not
	// interrupt the statements that bound the savepoint.
	bg := context.WithoutCancel(ctx)
	if _, err := b.tx.ExecContext(bg, "SAVEPOINT "+savepoint); err != nil {
		db.loseBatch(b)
		db.releaseWriter()
		return fmt.Errorf("begin: %w", errors.Join(errWriteBatchLost, err))
	}
	fnErr, panicked, panicValue := runMember(fn, b.tx)
	var endErr error
	if fnErr != nil || panicked {
		_, endErr = b.tx.ExecContext(bg, "ROLLBACK TO "+savepoint)
	}
	if endErr == nil {
		_, endErr = b.tx.ExecContext(bg, "RELEASE "+savepoint)
	}
	if endErr != nil { // the whole transaction is gone, and the other members' work with it
		db.loseBatch(b)
	} else if fnErr == nil && !panicked {
		b.kept++
	}
	db.endBatch(false)
	db.releaseWriter()
	switch {
	case panicked:
		panic(panicValue)
	case fnErr != nil:
		return fnErr
	case endErr != nil:
		return errors.Join(errWriteBatchLost, endErr)
	}
	<-b.done
	return b.err
}

// runMember runs fn, reporting a panic instead of passing it on, so the
// member's savepoint is rolled back and the batch handed on first.
func runMember(fn func(*sql.Tx) error, tx *sql.Tx) (err error, panicked bool, value any) {
	defer func() {
		if p := recover(); p != nil {
			panicked, value = true, p
		}
	}()
	return fn(tx), false, nil
}

// acquireWriter waits for the writer. A waiter that gives up leaves a
// stand-in in the queue: whoever went before may have left the batch
// open for it, counting on someone who waits to end it.
func (db *DB) acquireWriter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.writeWaiting.Add(1)
	select {
	case db.writers <- struct{}{}:
		db.writeWaiting.Add(-1)
		return nil
	case <-ctx.Done():
		go func() {
			db.writers <- struct{}{}
			db.writeWaiting.Add(-1)
			db.endBatch(false)
			db.releaseWriter()
		}()
		return ctx.Err()
	}
}

func (db *DB) releaseWriter() { <-db.writers }

// batchToJoin returns the open batch, or begins one; the caller holds the
// writer.
func (db *DB) batchToJoin(ctx context.Context) (*writeBatch, error) {
	if db.batch != nil {
		return db.batch, nil
	}
	tx, err := db.beginWrite(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	db.batch = &writeBatch{tx: tx, done: make(chan struct{})}
	return db.batch, nil
}

// endBatch commits the open batch unless it may be left open for a
// waiter to join (always, when force); the caller holds the writer.
func (db *DB) endBatch(force bool) {
	b := db.batch
	if b == nil || !force && db.writeWaiting.Load() > 0 && b.members < maxWriteBatch {
		return
	}
	db.batch = nil
	if err := b.tx.Commit(); err != nil {
		b.err = fmt.Errorf("commit: %w", err)
		db.releaseWriteConn() // perhaps broken: the next write takes a fresh one
	} else {
		db.batchCommits.Add(1)
		db.batchActions.Add(int64(b.kept))
	}
	close(b.done)
}

// loseBatch rolls back what is left of the open batch and fails its
// waiting members; the caller holds the writer.
func (db *DB) loseBatch(b *writeBatch) {
	db.batch = nil
	b.tx.Rollback()
	b.err = errWriteBatchLost
	close(b.done)
}
