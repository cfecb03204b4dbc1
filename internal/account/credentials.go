package account

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"pageinbox/internal/pubsub"
)

// CredentialEvents returns b, except that publishing a session revocation
// (KindRevoked on a SessionTopic) or an access change (KindAccess with a
// UserID) also makes cache forget it at once, and announces it on
// CredentialsTopic to the caches of the other replicas.
//
// It sits in the publishing path rather than in each service because
// every way of revoking a session or changing roles already publishes
// such an event for open subscriptions: a new one cannot forget the cache.
func CredentialEvents(b pubsub.Broker, cache *SessionCache) pubsub.Broker {
	return credentialBroker{Broker: b, cache: cache}
}

type credentialBroker struct {
	pubsub.Broker
	cache *SessionCache
}

// Publish forgets and announces the credential events among events, then
// publishes them all.
func (b credentialBroker) Publish(ctx context.Context, events ...pubsub.Event) error {
	var extra []pubsub.Event
	for _, ev := range events {
		if ce, ok := credentialEvent(ev); ok {
			b.cache.Forget(ce)
			extra = append(extra, ce)
		}
	}
	if len(extra) == 0 {
		return b.Broker.Publish(ctx, events...)
	}
	return b.Broker.Publish(ctx, slices.Concat(events, extra)...)
}

// credentialEvent is the CredentialsTopic event an event implies, if any.
func credentialEvent(ev pubsub.Event) (pubsub.Event, bool) {
	switch {
	case ev.Topic == pubsub.CredentialsTopic():
		return pubsub.Event{}, false
	case ev.Kind == pubsub.KindRevoked:
		id, ok := strings.CutPrefix(ev.Topic, "session:")
		if !ok || pubsub.SessionTopic(atoi(id)) != ev.Topic {
			return pubsub.Event{}, false // an API token: not cached
		}
		return pubsub.Event{Topic: pubsub.CredentialsTopic(), Kind: pubsub.KindRevoked, SessionID: atoi(id)}, true
	case ev.Kind == pubsub.KindAccess && ev.UserID != 0:
		return pubsub.Event{Topic: pubsub.CredentialsTopic(), Kind: pubsub.KindAccess, UserID: ev.UserID}, true
	}
	return pubsub.Event{}, false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
