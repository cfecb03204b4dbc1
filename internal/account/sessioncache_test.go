package account

import (
	"context"
	"testing"
	"time"

	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
)

// live returns a cache that serves, following a Memory broker.
func live(t *testing.T, clk clock.Clock) (*SessionCache, *pubsub.Memory) {
	t.Helper()
	b := pubsub.NewMemory(0)
	c := NewSessionCache(clk, time.Second)
	sub := c.Watch(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx, sub); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for {
		c.mu.Lock()
		ok := c.live
		c.mu.Unlock()
		if ok {
			return c, b
		}
		time.Sleep(time.Millisecond)
	}
}

// A lookup that started before a revocation must not store what it read:
// it may be the revoked session.
func TestSessionCacheDropsALookupThatRacedARevocation(t *testing.T) {
	c, _ := live(t, clock.NewManual(time.Now()))
	_, ok, gen := c.lookup("h")
	if ok {
		t.Fatal("empty cache hit")
	}
	c.Forget(pubsub.Event{Kind: pubsub.KindRevoked, SessionID: 7})
	c.store("h", cachedSession{sessionID: 7, userID: 1}, gen)
	if _, ok, _ := c.lookup("h"); ok {
		t.Fatal("a lookup older than a revocation was cached")
	}
	_, _, gen = c.lookup("h")
	c.store("h", cachedSession{sessionID: 7, userID: 1}, gen)
	if _, ok, _ := c.lookup("h"); !ok {
		t.Fatal("a lookup with no revocation since was not cached")
	}
}

// A lookup that raced only other people's credential changes is still
// cached (a role change elsewhere must not cost everyone a round trip);
// one that raced more changes than the cache remembers is not.
func TestSessionCacheKeepsALookupThatRacedOnlyOthers(t *testing.T) {
	c, _ := live(t, clock.NewManual(time.Now()))
	_, _, gen := c.lookup("h")
	c.Forget(pubsub.Event{Kind: pubsub.KindAccess, UserID: 2})
	c.Forget(pubsub.Event{Kind: pubsub.KindRevoked, SessionID: 8})
	c.store("h", cachedSession{sessionID: 7, userID: 1}, gen)
	if _, ok, _ := c.lookup("h"); !ok {
		t.Fatal("a lookup was dropped for other users' changes")
	}

	_, _, gen = c.lookup("u")
	c.Forget(pubsub.Event{Kind: pubsub.KindAccess, UserID: 3})
	c.Forget(pubsub.Event{Kind: pubsub.KindAccess, UserID: 1})
	c.Forget(pubsub.Event{Kind: pubsub.KindAccess, UserID: 4})
	c.store("u", cachedSession{sessionID: 9, userID: 1}, gen)
	if _, ok, _ := c.lookup("u"); ok {
		t.Fatal("a lookup older than its user's access change was cached")
	}

	_, _, gen = c.lookup("b")
	for i := range recentForgets + 1 {
		c.Forget(pubsub.Event{Kind: pubsub.KindAccess, UserID: 100 + i})
	}
	c.store("b", cachedSession{sessionID: 11, userID: 5}, gen)
	if _, ok, _ := c.lookup("b"); ok {
		t.Fatal("a lookup that raced more changes than the cache remembers was cached")
	}

	// An event that names no session or user cannot be matched, so it
	// forgets everything.
	_, _, gen = c.lookup("k")
	c.store("k", cachedSession{sessionID: 12, userID: 6}, gen)
	_, _, gen = c.lookup("h")
	c.Forget(pubsub.Event{Kind: pubsub.KindRevoked})
	if _, ok, _ := c.lookup("k"); ok {
		t.Fatal("a revocation naming nobody left an entry cached")
	}
	c.store("h", cachedSession{sessionID: 7, userID: 1}, gen)
	if _, ok, _ := c.lookup("h"); ok {
		t.Fatal("a lookup that raced a revocation naming nobody was cached")
	}
}

// Entries end after the TTL, on their session's revocation, on their
// user's access change, and all of them when the bus may have lost
// events.
func TestSessionCacheForgets(t *testing.T) {
	clk := clock.NewManual(time.Now())
	c, b := live(t, clk)
	put := func(h string, sid, uid int) {
		_, _, gen := c.lookup(h)
		c.store(h, cachedSession{sessionID: sid, userID: uid}, gen)
	}
	has := func(h string) bool { _, ok, _ := c.lookup(h); return ok }

	put("a", 1, 10)
	clk.Advance(999 * time.Millisecond)
	if !has("a") {
		t.Fatal("entry gone before its TTL")
	}
	clk.Advance(time.Millisecond)
	if has("a") {
		t.Fatal("entry outlived its TTL")
	}

	put("a", 1, 10)
	put("b", 2, 10)
	put("c", 3, 11)
	c.Forget(pubsub.Event{Kind: pubsub.KindRevoked, SessionID: 1})
	if has("a") || !has("b") || !has("c") {
		t.Fatal("revoking session 1 must forget exactly its entry")
	}
	c.Forget(pubsub.Event{Kind: pubsub.KindAccess, UserID: 10})
	if has("b") || !has("c") {
		t.Fatal("user 10's access change must forget exactly their entries")
	}

	// Another replica's revocation, through the bus.
	if err := b.Publish(context.Background(), pubsub.Event{Topic: pubsub.CredentialsTopic(), Kind: pubsub.KindRevoked, SessionID: 3}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for has("c") {
		if time.Now().After(deadline) {
			t.Fatal("a revocation from the bus was not applied")
		}
		time.Sleep(time.Millisecond)
	}

	put("d", 4, 12)
	b.Hub().LoseAll()
	deadline = time.Now().Add(2 * time.Second)
	for has("d") {
		if time.Now().After(deadline) {
			t.Fatal("the cache kept entries after the bus lost events")
		}
		time.Sleep(time.Millisecond)
	}
}
