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
//     forgetting bumps a generation, and a lookup stores its result only
//     if no forgetting happened since it started.
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
}

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

// store keeps a fresh lookup unless credentials were forgotten since it
// started (gen).
func (c *SessionCache) store(hash string, e cachedSession, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || gen != c.gen {
		return
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
	c.gen++
	for h, e := range c.entries {
		if (ev.Kind == pubsub.KindRevoked && ev.SessionID != 0 && e.sessionID == ev.SessionID) ||
			(ev.Kind == pubsub.KindAccess && ev.UserID != 0 && e.userID == ev.UserID) {
			delete(c.entries, h)
		}
	}
}

// forgetAll empties the cache; with stillLive false it also stops serving.
func (c *SessionCache) forgetAll(stillLive bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
	c.live = c.live && stillLive
}
