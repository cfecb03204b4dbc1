package rule

import (
	"context"

	"entgo.io/ent/entql"
	"entgo.io/ent/privacy"

	"pageinbox/internal/viewer"
)

// Web Push (rule 32): who reads and writes push subscriptions, and the
// dispatcher's writes.

// Ent type names of the push tables.
const (
	typePushSubscription = "PushSubscription"
	typePushJob          = "PushJob"
	typePushDelivery     = "PushDelivery"
)

type (
	// UserRowFilter filters rows that belong to one user (push
	// subscriptions).
	UserRowFilter interface {
		anyFilter
		WhereUserID(entql.IntP)
	}
	// EndpointFilter keeps a push subscription by its endpoint.
	EndpointFilter interface {
		anyFilter
		WhereEndpoint(entql.StringP)
	}
)

// FilterOwnPushSubscriptions shows each signed-in user their own push
// subscriptions; nobody else, page tokens included, sees any: an endpoint
// is a capability to reach that person's device.
func FilterOwnPushSubscriptions() privacy.QueryRule {
	return filterWith(func(ctx context.Context, f UserRowFilter) error {
		uid, ok := viewer.FromContext(ctx).UserID()
		if !ok {
			matchNothing(f)
			return nil
		}
		f.WhereUserID(entql.IntEQ(uid))
		return nil
	})
}

// AuthorizePushSubscriptions lets a signed-in user register and remove
// their own push subscriptions. Registering an endpoint that another user
// registered before moves it (the rows with that endpoint may be
// replaced): a browser has one subscription per origin and shows the
// person signed in now, so the previous user's notifications must stop
// going to it. Knowing an endpoint URL means holding that browser's
// subscription; the new keys decrypt only the new owner's pushes.
func AuthorizePushSubscriptions(ctx context.Context, endpoint string) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "push subscriptions",
		createsFor(typePushSubscription, userOf, uid),
		changes(typePushSubscription, as(func(f UserRowFilter) { f.WhereUserID(entql.IntEQ(uid)) })),
		changes(typePushSubscription, as(func(f EndpointFilter) { f.WhereEndpoint(entql.StringEQ(endpoint)) })),
		// Their queued pushes go with a removed subscription.
		changes(typePushDelivery, as(func(f PushDeliveryFilter) {
			f.WhereHasSubscriptionMatching(as(func(s EndpointFilter) { s.WhereEndpoint(entql.StringEQ(endpoint)) }))
		})),
	), uid, nil
}

// PushDeliveryFilter keeps push deliveries by their subscription.
type PushDeliveryFilter interface {
	anyFilter
	WhereSubscriptionID(entql.IntP)
	WhereHasSubscriptionMatching(func(any))
}

// AuthorizePushOutbox lets a change that creates notifications queue
// their Web Push job, whoever made the change: the job carries no content,
// only which notifications to push.
func AuthorizePushOutbox(ctx context.Context) context.Context {
	return grant(ctx, "push outbox", creates(typePushJob))
}

// AuthorizePushExpand lets the push dispatcher turn the jobs it claimed
// into deliveries.
func AuthorizePushExpand(ctx context.Context, jobIDs []int) context.Context {
	return grant(ctx, "push expand", changes(typePushJob, rowIDs(jobIDs)), creates(typePushDelivery))
}

// AuthorizePushAttempts lets the push dispatcher lease and record the
// deliveries it claimed, and update or remove their subscriptions (the
// last success; a 404 or 410 from the push service).
func AuthorizePushAttempts(ctx context.Context, deliveryIDs, subscriptionIDs []int) context.Context {
	writes := []write{changes(typePushDelivery, rowIDs(deliveryIDs))}
	if len(subscriptionIDs) > 0 {
		writes = append(writes, changes(typePushSubscription, rowIDs(subscriptionIDs)),
			// A removed subscription's queue goes with it.
			changes(typePushDelivery, as(func(f PushDeliveryFilter) { f.WhereSubscriptionID(oneOf(subscriptionIDs)) })))
	}
	return grant(ctx, "push attempts", writes...)
}
