package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const snoozeThread = `mutation($t: ID!, $until: Time) { updateThread(input: {threadId: $t, snoozedUntil: $until}) { thread { id status snoozedUntil } } }`

// TestSnoozeWakesOnTime is rule 36's snooze: SNOOZED until snoozedUntil,
// then OPEN again with a THREAD_UPDATED event, once; a visitor message
// wakes it at once. The clock is the test's; the scheduler's poll is
// called directly.
func TestSnoozeWakesOnTime(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("snooze")
		ws := s.Connect(apptest.TransportWS, c.Owner.Token)
		ws.Subscribe("i", inboxEvents, apptest.Vars{"p": c.Page.ID})
		s.WaitSubscribers(1)
		ctx := context.Background()

		s.Do(c.Owner.Token, snoozeThread, apptest.Vars{"t": c.ThreadID, "until": s.Clock.Now().Add(-time.Minute)}).WantCode("BAD_USER_INPUT")
		s.Do(c.Visitor.Token, snoozeThread, apptest.Vars{"t": c.ThreadID, "until": s.Clock.Now().Add(time.Hour)}).WantCode("FORBIDDEN")
		until := s.Clock.Now().Add(time.Hour)
		r := s.Do(c.Owner.Token, snoozeThread, apptest.Vars{"t": c.ThreadID, "until": until}).OK()
		if r.String("updateThread.thread.status") != "SNOOZED" || r.Null("updateThread.thread.snoozedUntil") {
			t.Fatalf("snoozed: %s", r.Raw)
		}
		e := ws.Data("i", wait)
		for range 2 {
			if k := e.String("inboxEvent.kind"); k != "THREAD_CREATED" && k != "MESSAGE_ADDED" {
				break
			}
			// The conversation's start, committed before the subscription,
			// may arrive just after it (the bus is asynchronous): extra
			// events about the thread, not wrong ones.
			e = ws.Data("i", wait)
		}
		if e.String("inboxEvent.kind") != "THREAD_UPDATED" {
			t.Fatalf("snooze event: %s", e.Raw)
		}
		if v := s.Do(c.Visitor.Token, staffThreadState, apptest.Vars{"id": c.ThreadID}).OK(); !v.Null("node.status") || !v.Null("node.snoozedUntil") {
			t.Fatalf("the visitor sees the snooze: %s", v.Raw)
		}
		s.Clock.Advance(59 * time.Minute)
		if n, err := s.Snoozer.Wake(ctx); err != nil || n != 0 {
			t.Fatalf("woke %d early (%v)", n, err)
		}
		s.Clock.Advance(time.Minute)
		if n, err := s.Snoozer.Wake(ctx); err != nil || n != 1 {
			t.Fatalf("woke %d at snoozedUntil (%v)", n, err)
		}
		if e := ws.Data("i", wait); e.String("inboxEvent.kind") != "THREAD_UPDATED" || e.String("inboxEvent.thread.id") != c.ThreadID {
			t.Fatalf("wake event: %s", e.Raw)
		}
		st := s.Do(c.Owner.Token, staffThreadState, apptest.Vars{"id": c.ThreadID}).OK()
		if st.String("node.status") != "OPEN" || !st.Null("node.snoozedUntil") {
			t.Fatalf("after waking: %s", st.Raw)
		}
		if n, _ := s.Snoozer.Wake(ctx); n != 0 {
			t.Fatalf("woke again: %d", n)
		}

		// A visitor message wakes it at once; the schedule is then void.
		s.Do(c.Owner.Token, snoozeThread, apptest.Vars{"t": c.ThreadID, "until": s.Clock.Now().Add(time.Hour)}).OK()
		ws.Data("i", wait)
		s.SendIn(c.Visitor, c.ThreadID, "are you there?").OK()
		st = s.Do(c.Owner.Token, staffThreadState, apptest.Vars{"id": c.ThreadID}).OK()
		if st.String("node.status") != "OPEN" || !st.Null("node.snoozedUntil") {
			t.Fatalf("a visitor message did not wake it: %s", st.Raw)
		}
		s.Clock.Advance(2 * time.Hour)
		if n, _ := s.Snoozer.Wake(ctx); n != 0 {
			t.Fatalf("a woken thread was woken again: %d", n)
		}
		// Setting another status ends the snooze too.
		s.Do(c.Owner.Token, snoozeThread, apptest.Vars{"t": c.ThreadID, "until": s.Clock.Now().Add(time.Hour)}).OK()
		s.Do(c.Owner.Token, updateThread, apptest.Vars{"i": apptest.Vars{"threadId": c.ThreadID, "status": "DONE"}}).OK()
		s.Clock.Advance(2 * time.Hour)
		if n, _ := s.Snoozer.Wake(ctx); n != 0 {
			t.Fatalf("a DONE thread was woken: %d", n)
		}
	})
}

// TestSnoozeWakesExactlyOnceAcrossReplicas runs two servers on one
// database, snoozes many threads, and lets both replicas poll at once -
// their own schedulers and extra direct polls. Every thread is woken by
// exactly one of them, announced once, and a replica started after the
// snoozes (a restart) finds them in the database.
func TestSnoozeWakesExactlyOnceAcrossReplicas(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		db, dir := apptest.DatabaseURL(t, b), t.TempDir()
		// Both replicas' own schedulers run, besides the direct polls.
		poll := apptest.WithSchedulerPoll(20 * time.Millisecond)
		a := apptest.StartOn(t, b, db, dir, poll)
		owner := a.SignUp("owner")
		page := a.CreatePage(owner, "replicasnooze")
		const threads = 12
		ids := map[string]bool{}
		for i := range threads {
			id := a.SendToPage(a.SignUp(fmt.Sprintf("v%d", i)), page, "hi").OK().String("sendMessageToPage.thread.id")
			a.Do(owner.Token, snoozeThread, apptest.Vars{"t": id, "until": a.Clock.Now().Add(time.Hour)}).OK()
			ids[id] = true
		}
		// Started after the snoozes: it knows them only from the database.
		bb := apptest.StartOn(t, b, db, dir, poll)
		ws := bb.Connect(apptest.TransportWS, owner.Token)
		ws.Subscribe("i", inboxEvents, apptest.Vars{"p": page.ID})
		bb.WaitSubscribers(1)

		for _, srv := range []*apptest.Server{a, bb} {
			srv.Clock.Advance(2 * time.Hour)
		}
		var wg sync.WaitGroup
		for range 4 {
			for _, srv := range []*apptest.Server{a, bb} {
				wg.Go(func() {
					if _, err := srv.Snoozer.Wake(context.Background()); err != nil {
						t.Errorf("wake: %v", err)
					}
				})
			}
		}
		wg.Wait()
		// The background schedulers poll too; wait until all are woken.
		deadline := time.Now().Add(wait)
		for a.Snoozer.Woken()+bb.Snoozer.Woken() < threads && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := a.Snoozer.Woken() + bb.Snoozer.Woken(); n != threads {
			t.Fatalf("replicas woke %d threads in all, want exactly %d", n, threads)
		}
		if b == apptest.Postgres {
			// Replica B's inbox subscriber hears each wake once, whichever
			// replica did it.
			seen := map[string]bool{}
			for len(seen) < threads {
				e := ws.Data("i", wait)
				id := e.String("inboxEvent.thread.id")
				if e.String("inboxEvent.kind") != "THREAD_UPDATED" || !ids[id] || seen[id] {
					t.Fatalf("unexpected or repeated event: %s", e.Raw)
				}
				seen[id] = true
			}
			if m, ok := ws.TryNext(300 * time.Millisecond); ok {
				t.Fatalf("an extra inbox event: %s", m.Payload)
			}
		}
		for id := range ids {
			if st := bb.Do(owner.Token, staffThreadState, apptest.Vars{"id": id}).OK(); st.String("node.status") != "OPEN" {
				t.Fatalf("thread %s: %s", id, st.Raw)
			}
		}
	})
}
