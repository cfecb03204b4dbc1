package outbox_test

import (
	"context"
	"errors"
	"testing"

	"pageinbox/internal/outbox"
	"pageinbox/internal/store"
)

// The wake comes once the transaction committed, never for one that
// rolled back.
func TestAfterCommitRunsOnlyOnceCommitted(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	woken := 0
	tx, err := st.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	outbox.AfterCommit(tx, func() { woken++ })
	outbox.AfterCommit(tx, nil) // nothing to wake: no effect
	if woken != 0 {
		t.Fatal("woken before the commit")
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if woken != 1 {
		t.Fatalf("woken %d times by a commit, want 1", woken)
	}

	tx, err = st.Client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	outbox.AfterCommit(tx, func() { woken++ })
	if err := tx.Rollback(); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if woken != 1 {
		t.Fatal("woken by a rollback")
	}
}
