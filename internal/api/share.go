package api

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"
	"unique"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"pageinbox/internal/viewer"
)

// Shared rendering. When one event reaches many subscribers of the same
// subscription document - a page's staff watching its inbox, a group's
// members - executing the selection set for each is most of the cost of
// the fan-out (gqlgen allocates a context per field). Subscribers whose
// operation, variables and viewer class (viewer.Class: roles or token
// scopes) are equal, and whose selection reads only fields that do not
// depend on who is asking, get the bytes rendered for the first of them.
//
// Those fields carry the @viewerIndependent directive where they are
// declared (schema.graphql; ent/schema for entity fields), so a new field's
// sharing is decided with the field. Everything unmarked (unreadCount,
// canReply, email, viewer*, clientMessageId, connections...) makes an
// operation render per subscriber, as do errors in a rendering. A field
// whose visibility depends on the role (status, assignee, labels, a page
// message's sender) is marked because the role is part of the class.

// viewerIndependent is the directive that marks a shareable field.
const viewerIndependent = "viewerIndependent"

// sharedFields holds the "Type.field" names the served schema marks
// @viewerIndependent, read once at start.
type sharedFields map[string]struct{}

func sharedFieldsOf(schema *ast.Schema) sharedFields {
	f := sharedFields{}
	for _, def := range schema.Types {
		for _, field := range def.Fields {
			if field.Directives.ForName(viewerIndependent) != nil {
				f[def.Name+"."+field.Name] = struct{}{}
			}
		}
	}
	return f
}

// shareable reports whether every field the operation selects is marked.
func (f sharedFields) shareable(rc *graphql.OperationContext) bool {
	var walk func(parent string, set ast.SelectionSet, depth int) bool
	walk = func(parent string, set ast.SelectionSet, depth int) bool {
		if depth > 32 {
			return false
		}
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name == "__typename" {
					continue
				}
				owner := parent
				if s.ObjectDefinition != nil {
					owner = s.ObjectDefinition.Name
				}
				if _, ok := f[owner+"."+s.Name]; !ok {
					return false
				}
				if len(s.SelectionSet) > 0 {
					if s.Definition == nil || !walk(s.Definition.Type.Name(), s.SelectionSet, depth+1) {
						return false
					}
				}
			case *ast.InlineFragment:
				if !walk(parent, s.SelectionSet, depth+1) {
					return false
				}
			case *ast.FragmentSpread:
				if s.Definition == nil || !walk(parent, s.Definition.SelectionSet, depth+1) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	return rc.Operation != nil && walk("Subscription", rc.Operation.SelectionSet, 0)
}

// shareKey is the operation's rendering key; false when it renders per
// subscriber. The key is interned: every subscriber of one document holds
// the same handle, so a delivery hashes and compares a pointer rather than
// the whole document, and 10,000 subscribers keep one copy of it.
func (f sharedFields) shareKey(ctx context.Context, rc *graphql.OperationContext) (unique.Handle[string], bool) {
	if !f.shareable(rc) {
		return unique.Handle[string]{}, false
	}
	class, err := viewer.FromContext(ctx).Class(ctx)
	if err != nil {
		return unique.Handle[string]{}, false
	}
	vars, err := json.Marshal(rc.Variables) // map keys sorted: canonical
	if err != nil {
		return unique.Handle[string]{}, false
	}
	return unique.Make(rc.RawQuery + "\x00" + rc.OperationName + "\x00" + string(vars) + "\x00" + class), true
}

// renders keeps recent shared renderings, keyed by the delivered value
// (one *ent.Message or *live.InboxEvent per event, shared by every
// subscriber of it: internal/live loads each once) and the share key.
type renders struct {
	mu     sync.Mutex
	m      map[renderKey]*rendered
	swept  time.Time
	reused atomic.Int64 // deliveries that took another subscriber's rendering
}

type renderKey struct {
	value any
	key   unique.Handle[string]
}

type rendered struct {
	done chan struct{}
	// ready is set, after payload, just before done closes: most of a
	// fan-out's subscribers find the rendering made and read it without
	// the channel (whose lock all of them would take in turn).
	ready   atomic.Bool
	payload []byte // {"data":...}; nil when it could not be shared
	at      time.Time
}

// take returns the rendering of k; leader is true for the caller that
// must render it (and then call publish).
func (r *renders) take(k renderKey) (e *rendered, leader bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.m[k]; ok {
		return e, false
	}
	now := time.Now()
	if r.m == nil {
		r.m = map[renderKey]*rendered{}
	}
	if now.Sub(r.swept) > time.Second {
		// Every subscriber of an event renders within moments of it; an
		// entry older than a few seconds serves nobody (and holds the
		// value alive, so its address is not reused while listed).
		r.swept = now
		for key, old := range r.m {
			if now.Sub(old.at) > 5*time.Second {
				delete(r.m, key)
			}
		}
	}
	e = &rendered{done: make(chan struct{}), at: now}
	r.m[k] = e
	return e, true
}

// publish completes a leader's rendering (payload nil: not shareable).
func (r *renders) publish(e *rendered, payload []byte) {
	e.payload = payload
	e.ready.Store(true)
	close(e.done)
}
