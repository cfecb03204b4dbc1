// Package webhook pushes a page's events to integrations (rules 22, 33,
// 34): the transactional outbox that writes each event to the page event
// log and queues its deliveries (Outbox), the dispatcher that delivers
// them signed the Standard Webhooks way, retried over days and claimed by
// one replica at a time (Dispatcher), the SSRF guard (Guard),
// registration and its management - rotation, redelivery, switching back
// on (Service) - and the event log's reader and pruner (events.go).
package webhook

import (
	"context"

	"entgo.io/contrib/entgql"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/webhook"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/clock"
	"pageinbox/internal/integration"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// Service registers and manages webhooks and reads the page event log.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	guard  Guard
	// wake nudges the dispatcher after a redelivery.
	wake func()
}

// NewService returns the service; wake nudges the dispatcher.
func NewService(client *ent.Client, clk clock.Clock, guard Guard, wake func()) *Service {
	return &Service{client: client, clock: clk, guard: guard, wake: wake}
}

// Create registers a webhook for a page (ADMIN only). The signing secret is
// returned once.
func (s *Service) Create(ctx context.Context, pageID int, url string, events []schematype.WebhookEvent) (*ent.Webhook, string, error) {
	ctx, err := integration.Authorize(ctx, s.client, pageID)
	if err != nil {
		return nil, "", err
	}
	if events, err = integration.Grants(events, "a webhook needs at least one event"); err != nil {
		return nil, "", err
	}
	if err := s.guard.CheckURL(ctx, url); err != nil {
		return nil, "", err
	}
	sec := NewSecret()
	h, err := s.client.Webhook.Create().
		SetPageID(pageID).
		SetURL(url).
		SetEvents(events).
		SetSecret(sec).
		SetCreatedAt(s.clock.Now()).
		SetNillableCreatedBy(integration.Creator(ctx)).
		Save(ctx)
	if err != nil {
		return nil, "", err
	}
	return h, sec, nil
}

// Delete removes a webhook and its delivery log; pending deliveries are
// dropped with it.
func (s *Service) Delete(ctx context.Context, id int) error {
	h, err := s.client.Webhook.Get(ctx, id) // filtered to the viewer's pages
	if err != nil {
		return store.NotFound(err, "webhook not found")
	}
	ctx, err = rule.AuthorizeIntegrations(ctx, h.PageID)
	if err != nil {
		return err
	}
	return store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		if _, err := tx.WebhookDelivery.Delete().Where(webhookdelivery.WebhookID(h.ID)).Exec(ctx); err != nil {
			return err
		}
		return tx.Webhook.DeleteOneID(h.ID).Exec(ctx)
	})
}

// List returns a page's webhooks for its ADMINs; nil for everyone else.
func (s *Service) List(ctx context.Context, p *ent.Page) ([]*ent.Webhook, error) {
	if ok, err := rule.HasPageRole(ctx, p.ID, "", viewer.RoleAdmin); err != nil || !ok {
		return nil, err
	}
	return s.client.Webhook.Query().Where(webhook.PageID(p.ID)).Order(ent.Asc(webhook.FieldID)).All(ctx)
}

// Deliveries is a webhook's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, h *ent.Webhook, first *int, after *entgql.Cursor[int]) (*ent.WebhookDeliveryConnection, error) {
	return s.client.WebhookDelivery.Query().
		Where(webhookdelivery.WebhookID(h.ID)).
		Paginate(ctx, after, first, nil, nil, ent.WithWebhookDeliveryOrder(&ent.WebhookDeliveryOrder{
			Direction: entgql.OrderDirectionDesc, Field: ent.WebhookDeliveryOrderFieldCreatedAt,
		}))
}
