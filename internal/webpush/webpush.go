// Package webpush delivers a user's notifications to their devices by Web
// Push (rule 32): RFC 8030 delivery, RFC 8291 aes128gcm encryption and
// RFC 8292 VAPID signatures, done by github.com/SherClockHolmes/webpush-go.
//
// The parts: registration of push subscriptions (Service), the server's
// VAPID key kept in the database (LoadKeys), the transactional outbox that
// the notification writers fill (Outbox), and the Dispatcher that expands
// the outbox into one delivery per device and sends them, retried with
// backoff and claimed by one replica at a time.
//
// (internal/push is something else: the websocket sink of live
// subscriptions.)
package webpush

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"net/url"
	"strings"

	"pageinbox/ent"
	"pageinbox/ent/pushdelivery"
	"pageinbox/ent/pushsubscription"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// Service registers and lists push subscriptions.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	guard  webhook.Guard
	keys   *Keys
}

// NewService returns the registration service. Endpoints pass the same
// outbound guard as webhooks (rule 31).
func NewService(client *ent.Client, clk clock.Clock, guard webhook.Guard, keys *Keys) *Service {
	return &Service{client: client, clock: clk, guard: guard, keys: keys}
}

// PublicKey is the VAPID public key browsers subscribe with.
func (s *Service) PublicKey() string { return s.keys.Public }

// Registration is what a browser's PushSubscription carries.
type Registration struct {
	Endpoint  string
	P256dh    string
	Auth      string
	UserAgent *string
}

// Register stores the signed-in user's subscription. The same endpoint
// again updates it (a browser renews its keys); an endpoint another user
// registered moves to this one, with nothing of theirs still queued.
func (s *Service) Register(ctx context.Context, r Registration) (*ent.PushSubscription, error) {
	if err := s.checkEndpoint(ctx, r.Endpoint); err != nil {
		return nil, err
	}
	if err := checkKeys(r.P256dh, r.Auth); err != nil {
		return nil, err
	}
	if r.UserAgent != nil && len(*r.UserAgent) > 512 {
		return nil, apierr.New(apierr.BadUserInput, "userAgent is longer than 512 characters")
	}
	ctx, uid, err := rule.AuthorizePushSubscriptions(ctx, r.Endpoint)
	if err != nil {
		return nil, err
	}
	var sub *ent.PushSubscription
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		// Another user's registration of this endpoint ends here, with
		// its queue: the device now shows this user.
		other := pushsubscription.And(pushsubscription.Endpoint(r.Endpoint), pushsubscription.UserIDNEQ(uid))
		if _, err := tx.PushDelivery.Delete().Where(pushdelivery.HasSubscriptionWith(other)).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.PushSubscription.Delete().Where(other).Exec(ctx); err != nil {
			return err
		}
		now := s.clock.Now()
		cur, err := tx.PushSubscription.Query().Where(pushsubscription.Endpoint(r.Endpoint)).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			sub, err = tx.PushSubscription.Create().SetUserID(uid).SetEndpoint(r.Endpoint).
				SetP256dh(r.P256dh).SetAuth(r.Auth).SetNillableUserAgent(r.UserAgent).SetCreatedAt(now).Save(ctx)
			return err
		case err != nil:
			return err
		}
		sub, err = cur.Update().SetP256dh(r.P256dh).SetAuth(r.Auth).SetNillableUserAgent(r.UserAgent).Save(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sub.Unwrap(), nil
}

// Unregister removes one of the signed-in user's subscriptions.
func (s *Service) Unregister(ctx context.Context, id int) error {
	if _, err := rule.RequireUser(ctx); err != nil {
		return err
	}
	sub, err := s.client.PushSubscription.Get(ctx, id) // the viewer's own only
	if err != nil {
		return store.NotFound(err, "push subscription not found")
	}
	ctx, _, err = rule.AuthorizePushSubscriptions(ctx, sub.Endpoint)
	if err != nil {
		return err
	}
	return store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		if _, err := tx.PushDelivery.Delete().Where(pushdelivery.SubscriptionID(sub.ID)).Exec(ctx); err != nil {
			return err
		}
		return tx.PushSubscription.DeleteOneID(sub.ID).Exec(ctx)
	})
}

// List is User.pushSubscriptions: the user's own, oldest first; nil for
// anyone else.
func (s *Service) List(ctx context.Context, u *ent.User) ([]*ent.PushSubscription, error) {
	if uid, ok := viewer.FromContext(ctx).UserID(); !ok || uid != u.ID {
		return nil, nil // null, not an error, for everyone else (the contract)
	}
	return s.client.PushSubscription.Query().Where(pushsubscription.UserID(u.ID)).
		Order(ent.Asc(pushsubscription.FieldID)).All(ctx)
}

// checkEndpoint: an absolute https URL (http only where private targets
// are allowed, i.e. tests and local development) whose host resolves only
// to public addresses.
func (s *Service) checkEndpoint(ctx context.Context, endpoint string) error {
	bad := apierr.New(apierr.BadUserInput,
		"endpoint must be an https URL of a push service whose host resolves only to public internet addresses")
	if len(endpoint) > 2048 {
		return apierr.New(apierr.LimitExceeded, "endpoint longer than 2048 characters")
	}
	u, err := url.Parse(endpoint)
	if err != nil || !(u.Scheme == "https" || u.Scheme == "http" && s.guard.AllowPrivate) {
		return bad
	}
	if s.guard.CheckURL(ctx, endpoint) != nil {
		return bad
	}
	return nil
}

// checkKeys validates the browser's keys (RFC 8291): p256dh an uncompressed
// P-256 point (65 bytes), auth a 16-byte secret, both base64url.
func checkKeys(p256dh, auth string) error {
	pub, err := decodeKey(p256dh)
	if err == nil {
		_, err = ecdh.P256().NewPublicKey(pub)
	}
	if err != nil {
		return apierr.New(apierr.BadUserInput, "p256dh must be a base64url P-256 public key (65 bytes)")
	}
	if sec, err := decodeKey(auth); err != nil || len(sec) != 16 {
		return apierr.New(apierr.BadUserInput, "auth must be a base64url 16-byte secret")
	}
	return nil
}

// decodeKey reads base64url with or without padding.
func decodeKey(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
