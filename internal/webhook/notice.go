package webhook

import (
	"context"
	"slices"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/notification"
	"pageinbox/ent/pageevent"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/thread"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/globalid"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// PushQueue queues notifications for Web Push in the transaction that
// writes them (webpush.Outbox; an interface because webpush imports this
// package).
type PushQueue interface {
	Notifications(ctx context.Context, tx *ent.Tx, ids []int, createdAt time.Time) error
}

// Notices tells a page's ADMINs that the server switched one of its
// webhooks off: live (pub) and by Web Push (push). Either may be nil.
type Notices struct {
	Pub  pubsub.Publisher
	Push PushQueue
}

// recentFailures bounds how many of the endpoint's failed deliveries are
// searched for a thread.
const recentFailures = 100

// notifyDisabled writes, in the transaction that switched hook off, one
// WEBHOOK_DISABLED notification per ADMIN of its page (rule 33). A
// notification is about a thread: the thread of the most recent failed
// delivery's event that has one, else the page's most recently active
// thread. A page without threads gets none (logged): the ADMINs still see
// disabledReason on the webhook. ADMINs read every thread of their page,
// so the notification shows nothing they may not read.
func (d *Dispatcher) notifyDisabled(ctx context.Context, tx *ent.Tx, hook *ent.Webhook, now time.Time) error {
	sys := rule.For(rule.For(ctx, rule.WebhookDelivery), rule.WebhookDisabledNotice)
	threadID, err := noticeThread(sys, tx, hook)
	if err != nil {
		return err
	}
	if threadID == 0 {
		d.log.Warn("webhook switched off on a page without threads: no notification", "webhook", hook.ID, "page", hook.PageID)
		return nil
	}
	admins, err := tx.PageMembership.Query().
		Where(pagemembership.PageID(hook.PageID), pagemembership.RoleEQ(viewer.RoleAdmin)).
		Select(pagemembership.FieldUserID).Ints(sys)
	if err != nil {
		return err
	}
	if len(admins) == 0 {
		return nil
	}
	builders := make([]*ent.NotificationCreate, len(admins))
	for i, uid := range admins {
		builders[i] = tx.Notification.Create().SetRecipientID(uid).SetKind(notification.KindWEBHOOK_DISABLED).
			SetThreadID(threadID).SetPageID(hook.PageID).SetWebhookID(hook.ID).SetCreatedAt(now)
	}
	ns, err := tx.Notification.CreateBulk(builders...).Save(rule.AuthorizeWebhookDisabledNotices(sys, hook.ID))
	if err != nil {
		return err
	}
	ids := make([]int, len(ns))
	var batch *pubsub.Batch
	if d.notices.Pub != nil {
		batch = pubsub.AfterCommit(tx, d.notices.Pub, d.log)
	}
	for i, n := range ns {
		ids[i] = n.ID
		if batch != nil {
			batch.Add(pubsub.Event{Topic: pubsub.UserTopic(n.RecipientID), Kind: pubsub.KindNotification,
				NotificationID: n.ID, UserID: n.RecipientID, ThreadID: threadID})
		}
	}
	if d.notices.Push == nil {
		return nil
	}
	return d.notices.Push.Notifications(ctx, tx, ids, now)
}

// noticeThread picks the thread a WEBHOOK_DISABLED notification is about;
// 0 when the page has none.
func noticeThread(ctx context.Context, tx *ent.Tx, hook *ent.Webhook) (int, error) {
	failed, err := tx.WebhookDelivery.Query().
		Where(webhookdelivery.WebhookID(hook.ID), webhookdelivery.StatusEQ(webhookdelivery.StatusFAILED)).
		Order(ent.Desc(webhookdelivery.FieldID)).Limit(recentFailures).
		Select(webhookdelivery.FieldEventID).Strings(ctx)
	if err != nil {
		return 0, err
	}
	var eventIDs []int
	for _, s := range failed {
		if id, err := globalid.Decode(s); err == nil {
			eventIDs = append(eventIDs, id)
		}
	}
	if len(eventIDs) > 0 {
		events, err := tx.PageEvent.Query().
			Where(pageevent.IDIn(eventIDs...), pageevent.PageID(hook.PageID), pageevent.ThreadIDNotNil()).
			All(ctx)
		if err != nil {
			return 0, err
		}
		var threadIDs []int
		for _, e := range events {
			threadIDs = append(threadIDs, *e.ThreadID)
		}
		// A thread deleted since its event is no subject.
		live, err := tx.Thread.Query().Where(thread.IDIn(threadIDs...)).IDs(ctx)
		if err != nil {
			return 0, err
		}
		byID := make(map[int]int, len(events))
		for _, e := range events {
			if slices.Contains(live, *e.ThreadID) {
				byID[e.ID] = *e.ThreadID
			}
		}
		for _, id := range eventIDs { // most recent delivery first
			if th, ok := byID[id]; ok {
				return th, nil
			}
		}
	}
	ids, err := tx.Thread.Query().Where(thread.PageID(hook.PageID)).
		Order(ent.Desc(thread.FieldLastMessageAt), ent.Desc(thread.FieldID)).Limit(1).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
