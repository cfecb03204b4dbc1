package account

import (
	"context"
	"sync"
	"time"

	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/viewer"
)

// SessionCache remembers, for a short while, what a session token
// resolved to (the session, its user and the user's page roles), so a
// signed-in request does not start with a database round trip.
//
// Why it is safe:
//   - A revoked session, or a user whose roles changed, is forgotten on
//     this replica before the revoking call returns (CredentialEvents
//     sees the event as it is published), and on every other replica when
//     the event arrives on CredentialsTopic. If the bus may have lost
//     events (Lost), everything is forgotten.
//   - A lookup that raced with a revocation is not stored: every
//     forgetting bumps a generation and is remembered (the last
//     recentForgets of them), and a lookup stores its result only if no
//     forgetting since it started concerns its session or user. An
//     unrelated user's role change does not keep everyone else's lookup
//     out of the cache; when more forgettings happened than are
//     remembered, the lookup is not stored.
//   - A role the cached entry lacks is never trusted: the viewer reloads
//     its roles once before denying (viewer.ForUserWithCachedRoles), so a
//     grant applies at once on every replica.
//   - The expiry is checked against the clock on every request, and an
//     entry lives at most ttl, whatever the bus does.
//
// The cache only serves while Run follows the bus: without it nothing
// would tell other replicas' revocations, so lookups go to the database.
type SessionCache struct {
	clock clock.Clock
	ttl   time.Duration
	max   int

	mu      sync.Mutex
	live    bool
	gen     uint64
	entries map[string]cachedSession
	// recent holds the last forgettings; the one of generation g is at
	// recent[g%recentForgets].
	recent [recentForgets]forgetting
}

// forgetting is what one forgetting concerned: a session, a user, or
// (all) everything.
type forgetting struct {
	sessionID, userID int
	all               bool
}

// concerns reports whether a lookup's result for (sessionID, userID)
// may be stale after f.
func (f forgetting) concerns(sessionID, userID int) bool {
	return f.all || (f.sessionID != 0 && f.sessionID == sessionID) || (f.userID != 0 && f.userID == userID)
}

// recentForgets is how many forgettings a cache remembers to judge a
// lookup that raced them. Lookups take a round trip, so only a burst of
// credential changes this long within one round trip makes a lookup go
// unstored.
const recentForgets = 64

// cachedSession is one token's lookup result.
type cachedSession struct {
	sessionID, userID int
	expiresAt         time.Time
	roles             map[int]viewer.Role // shared, read-only
	storedAt          time.Time
}

// DefaultSessionTTL bounds how long a lookup is reused when no event
// says otherwise.
const DefaultSessionTTL = 10 * time.Second

// sessionCacheMax bounds the entries; a full cache starts over (one
// round trip per active session, then warm again).
const sessionCacheMax = 50_000

// NewSessionCache returns an empty cache whose entries live at most ttl
// (0: DefaultSessionTTL; negative: the cache never serves).
func NewSessionCache(clk clock.Clock, ttl time.Duration) *SessionCache {
	if ttl == 0 {
		ttl = DefaultSessionTTL
	}
	return &SessionCache{clock: clk, ttl: ttl, max: sessionCacheMax, entries: map[string]cachedSession{}}
}

// Watch subscribes to CredentialsTopic; call it before the server takes
// requests and pass the subscription to Run.
func (c *SessionCache) Watch(b pubsub.Broker) *pubsub.Subscription {
	return b.Watch(pubsub.CredentialsTopic())
}

// Run applies credential events from sub until ctx ends. The cache serves
// only while Run runs.
func (c *SessionCache) Run(ctx context.Context, sub *pubsub.Subscription) {
	defer sub.Close()
	c.mu.Lock()
	c.live = c.ttl > 0
	c.mu.Unlock()
	defer c.forgetAll(false)
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.Lost:
			c.forgetAll(true) // events may be missing: trust nothing cached
		case ev := <-sub.C:
			c.Forget(*ev)
		}
	}
}

// lookup returns the cached result for a token hash, and the generation
// a fresh lookup must present to store its result.
func (c *SessionCache) lookup(hash string) (cachedSession, bool, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if ok && (!c.live || c.clock.Now().Sub(e.storedAt) >= c.ttl) {
		delete(c.entries, hash)
		ok = false
	}
	return e, ok && c.live, c.gen
}

// store keeps a fresh lookup unless credentials it may hold were
// forgotten since it started (gen).
func (c *SessionCache) store(hash string, e cachedSession, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.gen-gen > recentForgets {
		return
	}
	for g := gen + 1; g <= c.gen; g++ {
		if c.recent[g%recentForgets].concerns(e.sessionID, e.userID) {
			return
		}
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
	e.storedAt = c.clock.Now()
	c.entries[hash] = e
}

// Forget applies one credential event: a revoked session, or a user whose
// roles or memberships changed. Other events are ignored.
func (c *SessionCache) Forget(ev pubsub.Event) {
	switch ev.Kind {
	case pubsub.KindRevoked, pubsub.KindAccess:
	default:
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f := forgetting{userID: ev.UserID}
	if ev.Kind == pubsub.KindRevoked {
		f = forgetting{sessionID: ev.SessionID}
	}
	// An event that names nobody cannot be matched: treat it as
	// concerning every entry and every lookup in flight.
	f.all = f.sessionID == 0 && f.userID == 0
	c.remember(f)
	for h, e := range c.entries {
		if f.concerns(e.sessionID, e.userID) {
			delete(c.entries, h)
		}
	}
}

// forgetAll empties the cache; with stillLive false it also stops serving.
func (c *SessionCache) forgetAll(stillLive bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remember(forgetting{all: true})
	clear(c.entries)
	c.live = c.live && stillLive
}

// remember starts a new generation with f; c.mu is held.
func (c *SessionCache) remember(f forgetting) {
	c.gen++
	c.recent[c.gen%recentForgets] = f
}
