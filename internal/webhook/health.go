package webhook

import (
	"context"
	"fmt"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/webhook"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// recordHealth keeps an endpoint's run of failures (rule 33): a success
// ends it; a failure starts it, or - when it has lasted DisableAfter -
// switches the endpoint off. disable, when set, switches it off at once
// with that reason (410 Gone).
func (d *Dispatcher) recordHealth(ctx context.Context, hook *ent.Webhook, ok bool, disable string, now time.Time) error {
	ctx = rule.AuthorizeEndpointHealth(ctx, hook.ID)
	if ok {
		if hook.FailingSince == nil {
			return nil // as it was when claimed; a later claim sees any newer run
		}
		return d.client.Webhook.Update().Where(webhook.ID(hook.ID), webhook.FailingSinceNotNil()).
			ClearFailingSince().Exec(ctx)
	}
	if disable == "" {
		if hook.FailingSince == nil {
			return d.client.Webhook.Update().Where(webhook.ID(hook.ID), webhook.FailingSinceIsNil()).
				SetFailingSince(now).Exec(ctx)
		}
		if now.Sub(*hook.FailingSince) < d.cfg.DisableAfter {
			return nil
		}
		disable = fmt.Sprintf("every delivery attempt failed from %s to %s",
			hook.FailingSince.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	return d.switchOff(ctx, hook, disable, now)
}

// switchOff deactivates an endpoint with a reason the page's ADMINs see
// (Webhook.disabledReason). Its pending deliveries fail with it: the
// integration catches up from the page event log, or they are redelivered
// after enableWebhook.
func (d *Dispatcher) switchOff(ctx context.Context, hook *ent.Webhook, reason string, now time.Time) error {
	switched := false
	err := store.InTx(ctx, d.client, func(tx *ent.Tx) error {
		// The outbox queues a page's deliveries holding a KEY SHARE lock
		// on this row (store.AppendPageEvent); FOR UPDATE waits for those
		// in flight and holds new ones off, so an event enqueued meanwhile
		// either sees the endpoint off or has its delivery failed below,
		// never left pending.
		if _, err := store.ForUpdate(tx.Page.Query().Where(page.ID(hook.PageID))).
			IDs(rule.For(ctx, rule.WebhookDelivery)); err != nil {
			return err
		}
		n, err := tx.Webhook.Update().Where(webhook.ID(hook.ID), webhook.Active(true)).
			SetActive(false).SetDisabledReason(reason).ClearFailingSince().Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		switched = true
		err = tx.WebhookDelivery.Update().
			Where(webhookdelivery.WebhookID(hook.ID), webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING)).
			SetStatus(webhookdelivery.StatusFAILED).ClearNextAttemptAt().
			SetLastError("the endpoint was switched off: " + reason).
			Exec(ctx)
		if err != nil {
			return err
		}
		// Only the replica whose conditional update switched it off gets
		// here, so each ADMIN is told once.
		return d.notifyDisabled(ctx, tx, hook, now)
	})
	if err == nil && switched {
		// The ADMINs see it on the webhook (disabledReason) and in their
		// notifications (WEBHOOK_DISABLED); the operator in the log.
		d.log.Warn("webhook switched off", "webhook", hook.ID, "page", hook.PageID, "url", hook.URL,
			"reason", reason, "at", now)
	}
	return err
}
