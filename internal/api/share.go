package api

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

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
// shareableField lists those fields. Everything not listed (unreadCount,
// canReply, email, viewer*, clientMessageId, connections...) makes an
// operation render per subscriber, as do errors in a rendering. A field
// whose visibility depends on the role (status, assignee, labels, a page
// message's sender) is shareable because the role is part of the class.
func shareableField(typeDotField string) bool {
	switch typeDotField {
	case "Subscription.messageAdded", "Subscription.inboxEvent":
		return true
	case "InboxEvent.kind", "InboxEvent.thread", "InboxEvent.message":
		return true
	case "Thread.id", "Thread.kind", "Thread.title", "Thread.createdAt",
		"Thread.lastMessageAt", "Thread.snippet", "Thread.visitorLastReadAt",
		"Thread.pageLastReadAt", "Thread.page", "Thread.visitor", "Thread.lastMessage",
		"Thread.status", "Thread.assignee", "Thread.labels":
		return true
	case "Message.id", "Message.seq", "Message.senderType", "Message.body",
		"Message.createdAt", "Message.thread", "Message.sender", "Message.page",
		"Message.referral", "Message.attachments":
		return true
	case "Referral.source", "Referral.ad":
		return true
	case "AdSnapshot.adId", "AdSnapshot.title", "AdSnapshot.body", "AdSnapshot.imageUrl":
		return true
	case "Attachment.type", "Attachment.url", "Attachment.name", "Attachment.mimeType",
		"Attachment.size", "Attachment.title":
		return true
	case "User.id", "User.name", "User.handle", "User.createdAt":
		return true
	case "Page.id", "Page.name", "Page.handle", "Page.about", "Page.createdAt":
		return true
	}
	return false
}

// shareable reports whether every field the operation selects is a
// shareableField.
func shareable(rc *graphql.OperationContext) bool {
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
				if !shareableField(owner + "." + s.Name) {
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

// shareKey is the operation's rendering key, "" when it renders per
// subscriber.
func shareKey(ctx context.Context, rc *graphql.OperationContext) string {
	if !shareable(rc) {
		return ""
	}
	class, err := viewer.FromContext(ctx).Class(ctx)
	if err != nil {
		return ""
	}
	vars, err := json.Marshal(rc.Variables) // map keys sorted: canonical
	if err != nil {
		return ""
	}
	return rc.RawQuery + "\x00" + rc.OperationName + "\x00" + string(vars) + "\x00" + class
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
	key   string
}

type rendered struct {
	done    chan struct{}
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
	close(e.done)
}
