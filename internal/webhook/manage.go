package webhook

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// RotationOverlap is how long the previous secret keeps signing after a
// rotation (rule 33), so receivers can switch without losing a delivery.
const RotationOverlap = 24 * time.Hour

// adminWebhook loads a webhook for one of its page's ADMINs and returns
// the context that may change it.
func (s *Service) adminWebhook(ctx context.Context, id int) (context.Context, *ent.Webhook, error) {
	h, err := s.client.Webhook.Get(ctx, id) // filtered to the viewer's pages
	if err != nil {
		return ctx, nil, store.NotFound(err, "webhook not found")
	}
	ctx, err = rule.AuthorizeIntegrations(ctx, h.PageID)
	return ctx, h, err
}

// RotateSecret gives a webhook a new secret, returned this once. The
// current one becomes the previous secret and signs too for
// RotationOverlap (an older previous secret is dropped).
func (s *Service) RotateSecret(ctx context.Context, id int) (*ent.Webhook, string, error) {
	ctx, h, err := s.adminWebhook(ctx, id)
	if err != nil {
		return nil, "", err
	}
	sec := NewSecret()
	h, err = h.Update().SetSecret(sec).SetPreviousSecret(h.Secret).
		SetPreviousSecretExpiresAt(s.clock.Now().Add(RotationOverlap)).Save(ctx)
	if err != nil {
		return nil, "", err
	}
	return h, sec, nil
}

// Enable switches an endpoint back on after the server switched it off;
// its run of failures starts afresh.
func (s *Service) Enable(ctx context.Context, id int) (*ent.Webhook, error) {
	ctx, h, err := s.adminWebhook(ctx, id)
	if err != nil {
		return nil, err
	}
	return h.Update().SetActive(true).ClearDisabledReason().ClearFailingSince().Save(ctx)
}

// Redeliver queues a delivery's event again for its endpoint: a new
// delivery with the same event id (webhook-id) and body, due now.
func (s *Service) Redeliver(ctx context.Context, deliveryID int) (*ent.WebhookDelivery, error) {
	d, err := s.client.WebhookDelivery.Get(ctx, deliveryID) // filtered to the viewer's pages
	if err != nil {
		return nil, store.NotFound(err, "webhook delivery not found")
	}
	ctx, h, err := s.adminWebhook(ctx, d.WebhookID)
	if err != nil {
		return nil, err
	}
	if !h.Active {
		return nil, apierr.New(apierr.BadUserInput, "the webhook is switched off: enableWebhook first")
	}
	nd, err := NewDelivery(s.client.WebhookDelivery.Create(), h, d.Event, d.EventID, d.Payload, s.clock.Now()).Save(ctx)
	if err != nil {
		return nil, err
	}
	if s.wake != nil {
		s.wake()
	}
	return nd, nil
}
