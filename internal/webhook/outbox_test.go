package webhook_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/privacy"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apptest"
	"pageinbox/internal/webhook"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// TestRolledBackChangeLeavesNoEvent is the outbox property: deliveries are
// written in the change's transaction, so a rollback takes them with it.
func TestRolledBackChangeLeavesNoEvent(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithWebhookTargets())
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "rollback")
		rec := apptest.NewReceiver(t)
		s.Do(owner.Token, `mutation($p: ID!, $u: String!) { createWebhook(input: {pageId: $p, url: $u, events: [COMMENT_CREATED]}) { secret } }`,
			apptest.Vars{"p": page.ID, "u": rec.URL}).OK()
		ctx := privacy.DecisionContext(context.Background(), privacy.Allow) // test set-up past the rules
		pid := apptest.RowID(t, page.ID)
		woken := 0
		outbox := webhook.NewOutbox(func() { woken++ })

		tx, err := s.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := outbox.Enqueue(ctx, tx, pid, schematype.EventCommentCreated, map[string]any{"x": 1}, s.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if n := s.Client.WebhookDelivery.Query().CountX(ctx); n != 0 || woken != 0 {
			t.Fatalf("after rollback: %d deliveries, woken %d times", n, woken)
		}
		// The same with a commit: one pending delivery, dispatcher woken.
		tx, _ = s.Client.Tx(ctx)
		if err := outbox.Enqueue(ctx, tx, pid, schematype.EventCommentCreated, map[string]any{"x": 1}, s.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		d := s.Client.WebhookDelivery.Query().OnlyX(ctx)
		if woken != 1 || d.Event != schematype.EventCommentCreated {
			t.Fatalf("after commit: %+v, woken %d", d, woken)
		}
		rec.Wait(t, 1) // the server's own dispatcher delivers it
		if rec.Count() != 1 {
			t.Fatalf("receiver got %d", rec.Count())
		}
	})
}

// TestEventLogReaderNeverSkipsAnEventInFlight is rule 34's catch-up
// guarantee under concurrent writers on PostgreSQL (SQLite has one writer
// at a time): event A draws the smaller id but commits after event B; a
// reader that arrives in between must not return B without A, or paging
// on from B's cursor would skip A forever. It waits for A's transaction
// instead, and then returns both.
func TestEventLogReaderNeverSkipsAnEventInFlight(t *testing.T) {
	s := apptest.Start(t, apptest.Postgres)
	owner := s.SignUp("owner")
	page := s.CreatePage(owner, "inflight")
	ctx := privacy.DecisionContext(context.Background(), privacy.Allow) // test set-up past the rules
	pid := apptest.RowID(t, page.ID)
	outbox := webhook.NewOutbox(nil)
	enqueue := func() *ent.Tx {
		tx, err := s.Client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := outbox.Enqueue(ctx, tx, pid, schematype.EventCommentCreated, map[string]any{"x": 1}, s.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	a := enqueue() // the smaller id, still in flight
	defer func() { _ = a.Rollback() }()
	if err := enqueue().Commit(); err != nil { // B: a concurrent sender did not wait for A
		t.Fatal(err)
	}
	read := make(chan *apptest.Response, 1)
	go func() {
		read <- s.Do(owner.Token, `query($h: String!) { page(handle: $h) { events(first: 10) { edges { node { id } } } } }`,
			apptest.Vars{"h": page.Handle})
	}()
	select {
	case r := <-read:
		t.Fatalf("the log was read while an event with a smaller id was in flight: %s", r.Raw)
	case <-time.After(300 * time.Millisecond):
	}
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if r := (<-read).OK(); r.Len("page.events.edges") != 2 {
		t.Fatalf("after A committed the log has %d events, want 2: %s", r.Len("page.events.edges"), r.Raw)
	}
}
