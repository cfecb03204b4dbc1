// Package viewer tells every layer who is asking: a signed-in user, a page
// acting through one of its API tokens, or nobody.
//
// The viewer travels in the request context. Privacy rules (internal/rule)
// and the send path read it; nothing else decides who somebody is. Roles are
// loaded lazily, once per viewer value, because most requests never need
// them; a long-lived websocket gets a fresh Viewer for every operation so a
// removed staff member does not keep stale rights.
package viewer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Role is a staff member's role on a page.
type Role string

// Page roles, strongest first.
const (
	RoleAdmin     Role = "ADMIN"
	RoleModerator Role = "MODERATOR"
	RoleAnalyst   Role = "ANALYST"
)

// Values lists the roles; ent uses it for the enum column.
func (Role) Values() []string {
	return []string{string(RoleAdmin), string(RoleModerator), string(RoleAnalyst)}
}

// MarshalGQL writes the role as a GraphQL enum value.
func (r Role) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads a GraphQL enum value.
func (r *Role) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || !slices.Contains(Role("").Values(), s) {
		return fmt.Errorf("%v is not a valid PageRole", v)
	}
	*r = Role(s)
	return nil
}

// HandlesMessages reports whether the role may read and answer the inbox.
func (r Role) HandlesMessages() bool { return r == RoleAdmin || r == RoleModerator }

// Scope is what a page API token may do.
type Scope string

// API token scopes.
const (
	ScopeReadThreads  Scope = "READ_THREADS"
	ScopeSendMessages Scope = "SEND_MESSAGES"
	ScopeManagePage   Scope = "MANAGE_PAGE"
)

// Values lists the scopes.
func (Scope) Values() []string {
	return []string{string(ScopeReadThreads), string(ScopeSendMessages), string(ScopeManagePage)}
}

// MarshalGQL writes the scope as a GraphQL enum value.
func (s Scope) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads a GraphQL enum value.
func (s *Scope) UnmarshalGQL(v any) error {
	str, ok := v.(string)
	if !ok || !slices.Contains(Scope("").Values(), str) {
		return fmt.Errorf("%v is not a valid ApiScope", v)
	}
	*s = Scope(str)
	return nil
}

// RoleLoader returns the pages on which a user is staff, with the role.
type RoleLoader func(ctx context.Context, userID int) (map[int]Role, error)

// Token is a page API token acting as its page.
type Token struct {
	ID     int
	PageID int
	Scopes []Scope
}

// Viewer is the caller of one operation. The zero value is never used: an
// anonymous caller has no Viewer in its context.
type Viewer struct {
	userID    int
	sessionID int
	token     *Token

	load  RoleLoader
	once  sync.Once
	roles map[int]Role
	err   error

	// cached: roles came from a cache (account.SessionCache) and may lack
	// a role granted a moment ago on another replica. Role reloads them
	// once before answering "no role", so a cache can delay a removal by
	// the bus's latency at most, never a grant.
	cached  bool
	confirm sync.Once
	fresh   atomic.Pointer[map[int]Role]
	ferr    error
}

// ForUser returns the viewer for a signed-in user.
func ForUser(userID, sessionID int, load RoleLoader) *Viewer {
	return &Viewer{userID: userID, sessionID: sessionID, load: load}
}

// ForUserWithRoles returns the viewer for a signed-in user whose roles
// were read together with the session (one statement per request instead
// of two); Refresh still reloads them with load.
func ForUserWithRoles(userID, sessionID int, roles map[int]Role, load RoleLoader) *Viewer {
	v := &Viewer{userID: userID, sessionID: sessionID, load: load, roles: roles}
	v.once.Do(func() {})
	return v
}

// ForUserWithCachedRoles is ForUserWithRoles for roles that came from a
// cache: a page missing from them is looked up again before Role says the
// user has no role there.
func ForUserWithCachedRoles(userID, sessionID int, roles map[int]Role, load RoleLoader) *Viewer {
	v := ForUserWithRoles(userID, sessionID, roles, load)
	v.cached = load != nil
	return v
}

// ForToken returns the viewer for a page API token.
func ForToken(t Token) *Viewer {
	return &Viewer{token: &t}
}

// UserID returns the signed-in user's id; ok is false for tokens.
func (v *Viewer) UserID() (id int, ok bool) {
	if v == nil || v.token != nil {
		return 0, false
	}
	return v.userID, true
}

// SessionID returns the id of the session the user signed in with.
func (v *Viewer) SessionID() int {
	if v == nil {
		return 0
	}
	return v.sessionID
}

// Token returns the page API token; ok is false for users.
func (v *Viewer) Token() (t Token, ok bool) {
	if v == nil || v.token == nil {
		return Token{}, false
	}
	return *v.token, true
}

// HasScope reports whether the viewer is a token for pageID holding scope.
func (v *Viewer) HasScope(pageID int, scope Scope) bool {
	t, ok := v.Token()
	return ok && t.PageID == pageID && slices.Contains(t.Scopes, scope)
}

// Roles returns every page on which the user is staff. Tokens have none.
func (v *Viewer) Roles(ctx context.Context) (map[int]Role, error) {
	if v == nil || v.token != nil || v.load == nil {
		return nil, nil
	}
	if f := v.fresh.Load(); f != nil {
		return *f, nil
	}
	v.once.Do(func() { v.roles, v.err = v.load(ctx, v.userID) })
	return v.roles, v.err
}

// Role returns the user's role on a page.
func (v *Viewer) Role(ctx context.Context, pageID int) (Role, bool, error) {
	roles, err := v.Roles(ctx)
	if err != nil {
		return "", false, err
	}
	r, ok := roles[pageID]
	if !ok && v != nil && v.cached {
		v.confirm.Do(func() {
			fresh, err := v.load(ctx, v.userID)
			if v.ferr = err; err == nil {
				v.fresh.Store(&fresh)
			}
		})
		if v.ferr != nil {
			return "", false, v.ferr
		}
		r, ok = (*v.fresh.Load())[pageID]
	}
	return r, ok, nil
}

// Refresh returns a copy that will load roles again: websocket connections
// call it for every operation, so a role change applies without reconnecting.
func (v *Viewer) Refresh() *Viewer {
	if v == nil {
		return nil
	}
	return &Viewer{userID: v.userID, sessionID: v.sessionID, token: v.token, load: v.load}
}

type ctxKey struct{}

// NewContext returns a context carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer, or nil for an anonymous caller.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

// Class describes what the privacy rules know of the viewer apart from who
// it is: a user's roles on pages, or a token's page and scopes. Two
// viewers of one class see the same value of every field that does not
// depend on the viewer's identity (internal/api shares such renderings
// among a thread's or an inbox's subscribers).
func (v *Viewer) Class(ctx context.Context) (string, error) {
	if v == nil {
		return "anonymous", nil
	}
	if t, ok := v.Token(); ok {
		scopes := make([]string, len(t.Scopes))
		for i, s := range t.Scopes {
			scopes[i] = string(s)
		}
		slices.Sort(scopes)
		return "token:" + strconv.Itoa(t.PageID) + ":" + strings.Join(scopes, ","), nil
	}
	roles, err := v.Roles(ctx)
	if err != nil {
		return "", err
	}
	pages := make([]int, 0, len(roles))
	for p := range roles {
		pages = append(pages, p)
	}
	slices.Sort(pages)
	var b strings.Builder
	b.WriteString("user")
	for _, p := range pages {
		b.WriteString(":" + strconv.Itoa(p) + "=" + string(roles[p]))
	}
	return b.String(), nil
}

type freshKey struct{}

// WithFreshCredentials marks ctx so that authenticating in it reads the
// credentials from the database, not from a cache: a websocket's
// connection_init does, so a socket is accepted only while the database
// answers (during an outage it is closed with "try again later" rather
// than acknowledged and then failing every operation).
func WithFreshCredentials(ctx context.Context) context.Context {
	return context.WithValue(ctx, freshKey{}, true)
}

// WantsFreshCredentials reports whether ctx was marked by
// WithFreshCredentials.
func WantsFreshCredentials(ctx context.Context) bool {
	fresh, _ := ctx.Value(freshKey{}).(bool)
	return fresh
}
