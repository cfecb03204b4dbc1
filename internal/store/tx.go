package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"

	"pageinbox/ent"
)

// InTx runs fn in one transaction (rule 24: a mutation stores all of its
// changes or none). Commit hooks registered with tx.OnCommit run only after
// the commit succeeded, which is where events are published (rule 21).
// Transient conflicts (PostgreSQL serialization failures and deadlocks) are
// retried a few times before the error reaches the caller.
//
// Privacy rules that run inside fn need the viewer's roles, which are read
// on another connection: a caller whose transaction reads through privacy
// filters loads them first (viewer.Roles), before the transaction holds a
// connection (and, on SQLite, the write lock), so concurrent transactions
// cannot starve the pool.
func InTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) error {
	const attempts = 5
	var err error
	for range attempts {
		err = inTx(ctx, client, fn)
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func inTx(ctx context.Context, client *ent.Client, fn func(tx *ent.Tx) error) (err error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("store: rollback: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		// A commit hook may fail before the commit ran; never leave the
		// transaction (and its connection) open. After a real commit
		// attempt this is a no-op.
		_ = tx.Rollback()
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// retryable reports conflicts that a fresh attempt resolves.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return true
		case "0A000", "26000":
			// A cached statement went stale under a migration; stmtcache
			// dropped it and the next attempt prepares it afresh.
			return strings.Contains(pqErr.Message, "cached plan") || pqErr.Code == "26000"
		}
	}
	// SQLite reports a lock it could not get within busy_timeout.
	return strings.Contains(err.Error(), "SQLITE_BUSY")
}

// Conflicted reports the error of an INSERT ... ON CONFLICT DO NOTHING that
// inserted nothing: ent then finds no id to return. The row already exists,
// which is what the caller wanted.
func Conflicted(err error) bool {
	return errors.Is(err, sql.ErrNoRows) || ent.IsNotFound(err)
}
