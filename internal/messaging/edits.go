package messaging

import (
	"context"
	"encoding/json"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/ent/messagerevision"
	"pageinbox/ent/pageevent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/apierr"
	"pageinbox/internal/globalid"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// Inbox event kinds of the team inbox (the contract's InboxEventKind).
const (
	InboxMessageUpdated = "MESSAGE_UPDATED"
	InboxNoteAdded      = "NOTE_ADDED"
	InboxViewersChanged = "VIEWERS_CHANGED"
)

// participantMessage loads a message the viewer can read and works out
// the viewer's side in its thread; strangers get NOT_FOUND, readers who
// are not participants (an ANALYST, a read-only token) FORBIDDEN.
func (s *Service) participantMessage(ctx context.Context, id int) (*ent.Message, *ent.Thread, sender, error) {
	if viewer.FromContext(ctx) == nil {
		return nil, nil, sender{}, apierr.New(apierr.Unauthenticated, "sign in first")
	}
	m, err := s.client.Message.Query().Where(message.ID(id)).WithThread().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil, sender{}, apierr.New(apierr.NotFound, "message not found")
	}
	if err != nil {
		return nil, nil, sender{}, err
	}
	th := m.Edges.Thread
	snd, err := s.senderIn(ctx, s.client, th)
	if err != nil {
		return nil, nil, sender{}, err
	}
	return m, th, snd, nil
}

// isSender reports whether the viewer, writing on side snd, sent m: a
// visitor or member their own message, a staff member the PAGE message
// they wrote. Messages of page API tokens and away messages have no
// person to change them.
func isSender(m *ent.Message, snd sender) bool {
	if snd.userID == 0 || m.SenderID == nil || *m.SenderID != snd.userID {
		return false
	}
	switch m.SenderType {
	case message.SenderTypeVISITOR:
		return snd.side == rule.SideVisitor
	case message.SenderTypeMEMBER:
		return snd.side == rule.SideMember
	case message.SenderTypePAGE:
		return snd.side == rule.SidePage
	}
	return false
}

// Edit replaces a message's body (rule 37): its sender, within 15
// minutes, at most 5 times. The body a PAGE message had is kept as a
// revision for the page's ADMINs; a visitor's or member's is not kept.
func (s *Service) Edit(ctx context.Context, messageID int, body string) (*ent.Message, error) {
	m, th, snd, err := s.participantMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	ctx, err = rule.AuthorizeMessageChange(ctx, isSender(m, snd), rule.MessageChange{MessageID: m.ID, ThreadID: th.ID})
	if err != nil {
		return nil, err
	}
	if err := rule.MayEdit(m.CreatedAt, m.EditCount, m.RemovedAt != nil, s.clock.Now()); err != nil {
		return nil, err
	}
	if err := validateBody(body, len(m.Attachments) > 0); err != nil {
		return nil, err
	}
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		now := s.clock.Now()
		// Conditional on what was checked, so two edits racing cannot
		// make a sixth or revive an unsent message.
		n, err := tx.Message.Update().
			Where(message.ID(m.ID), message.EditCount(m.EditCount), message.RemovedAtIsNil()).
			SetBody(body).SetEditedAt(now).AddEditCount(1).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apierr.New(apierr.Conflict, "the message changed meanwhile; try again")
		}
		if m.SenderType == message.SenderTypePAGE {
			if err := s.keepRevision(ctx, tx, m); err != nil {
				return err
			}
		}
		m.Body, m.EditedAt, m.EditCount = body, &now, m.EditCount+1
		if err := s.refreshSnippet(ctx, tx, th, m); err != nil {
			return err
		}
		return s.announceUpdate(ctx, tx, th, m)
	})
	if err != nil {
		return nil, err
	}
	return s.client.Message.Get(ctx, m.ID)
}

// Unsend removes a message's body and attachments for everyone (rule
// 37): its sender, within 24 hours. The files leave the blob store, the
// text leaves the search index and any webhook payload still stored;
// removedAt stays as the marker. A PAGE message's last body is kept as a
// revision for the page's ADMINs.
func (s *Service) Unsend(ctx context.Context, messageID int) (*ent.Message, error) {
	m, th, snd, err := s.participantMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	ctx, err = rule.AuthorizeMessageChange(ctx, isSender(m, snd), rule.MessageChange{MessageID: m.ID, ThreadID: th.ID})
	if err != nil {
		return nil, err
	}
	if m.RemovedAt != nil {
		return m, nil // unsent already
	}
	if err := rule.MayUnsend(m.CreatedAt, s.clock.Now()); err != nil {
		return nil, err
	}
	atts := m.Attachments
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		now := s.clock.Now()
		n, err := tx.Message.Update().
			Where(message.ID(m.ID), message.RemovedAtIsNil()).
			SetBody("").SetAttachments([]schematype.Attachment{}).SetRemovedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil // a concurrent unsend did it
		}
		if m.SenderType == message.SenderTypePAGE {
			if err := s.keepRevision(ctx, tx, m); err != nil {
				return err
			}
		}
		if err := s.scrubWebhookPayloads(ctx, tx, th.PageID, m.ID); err != nil {
			return err
		}
		m.Body, m.Attachments, m.RemovedAt = "", []schematype.Attachment{}, &now
		if err := s.refreshSnippet(ctx, tx, th, m); err != nil {
			return err
		}
		if s.files != nil && len(atts) > 0 {
			tx.OnCommit(func(next ent.Committer) ent.Committer {
				return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
					err := next.Commit(ctx, tx)
					if err == nil {
						if rerr := s.files.Remove(context.WithoutCancel(ctx), atts); rerr != nil {
							s.log.Error("remove unsent files", "err", rerr, "message", m.ID)
						}
					}
					return err
				})
			})
		}
		return s.announceUpdate(ctx, tx, th, m)
	})
	if err != nil {
		return nil, err
	}
	return s.client.Message.Get(ctx, m.ID)
}

// keepRevision stores the body a PAGE message had before this change.
func (s *Service) keepRevision(ctx context.Context, tx *ent.Tx, m *ent.Message) error {
	at := m.CreatedAt
	if m.EditedAt != nil {
		at = *m.EditedAt
	}
	return tx.MessageRevision.Create().
		SetMessageID(m.ID).SetPageID(*m.PageID).SetBody(m.Body).SetEditedAt(at).
		Exec(ctx)
}

// refreshSnippet keeps the inbox's preview in step when the thread's
// newest message changed, so no old text lingers there.
func (s *Service) refreshSnippet(ctx context.Context, tx *ent.Tx, th *ent.Thread, m *ent.Message) error {
	upd := tx.Thread.Update().Where(thread.ID(th.ID)).SetUpdatedAt(s.clock.Now())
	if th.LastMessageID != nil && *th.LastMessageID == m.ID {
		upd.SetSnippet(snippet(m.Body, m.Attachments))
	}
	return upd.Exec(ctx)
}

// scrubWebhookPayloads removes an unsent message's text and attachments
// from the webhook deliveries that still store it (pending ones, and the
// delivery log) and from the page event log (rule 34), the same way in
// both, so a delivery and its event keep the same body. Payloads are
// written by encoding/json from webhook.MessageData, whose first field is
// the id, so the message's events are found by that prefix.
func (s *Service) scrubWebhookPayloads(ctx context.Context, tx *ent.Tx, pageID, messageID int) error {
	// The outbox is the server's own record; whoever unsends, it is
	// cleaned on the server's behalf, and only the rows found here.
	carries := `"message":{"id":"` + globalid.Encode(messageID) + `",`
	find := rule.For(ctx, rule.UnsendScrub)
	ds, err := tx.WebhookDelivery.Query().
		Where(webhookdelivery.PageID(pageID), webhookdelivery.PayloadContains(carries)).All(find)
	if err != nil {
		return err
	}
	ids := make([]int, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	dctx := rule.AuthorizeScrubPayloads(ctx, ids...)
	for _, d := range ds {
		out, ok, err := scrubbed(d.Payload)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := tx.WebhookDelivery.UpdateOneID(d.ID).SetPayload(out).Exec(dctx); err != nil {
			return err
		}
	}
	evs, err := tx.PageEvent.Query().
		Where(pageevent.PageID(pageID), pageevent.PayloadContains(carries)).All(find)
	if err != nil {
		return err
	}
	ids = make([]int, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	ectx := rule.AuthorizeScrubEvents(ctx, ids...)
	for _, e := range evs {
		out, ok, err := scrubbed(e.Payload)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := tx.PageEvent.UpdateOneID(e.ID).SetPayload(out).Exec(ectx); err != nil {
			return err
		}
	}
	return nil
}

// scrubbed is an event body without its message's text and attachments;
// false when the body carries no message.
func scrubbed(payload string) (string, bool, error) {
	var env map[string]any
	if err := json.Unmarshal([]byte(payload), &env); err != nil {
		return "", false, err
	}
	data, _ := env["data"].(map[string]any)
	msg, _ := data["message"].(map[string]any)
	if msg == nil {
		return "", false, nil
	}
	msg["body"], msg["attachments"] = "", []any{}
	out, err := json.Marshal(env)
	return string(out), err == nil, err
}

// announceUpdate queues a message change's events: messageUpdated for the
// thread's participants, MESSAGE_UPDATED for the inbox and webhooks.
func (s *Service) announceUpdate(ctx context.Context, tx *ent.Tx, th *ent.Thread, m *ent.Message) error {
	if err := s.enqueue(ctx, tx, th.PageID, schematype.EventMessageUpdated, s.messageData(ctx, th, m)); err != nil {
		return err
	}
	pubsub.AfterCommit(tx, s.pub, s.log).Add(
		pubsub.Event{Topic: pubsub.ThreadTopic(th.ID), Kind: pubsub.KindMessageUpdated, ThreadID: th.ID, MessageID: m.ID},
		pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox, InboxKind: InboxMessageUpdated,
			ThreadID: th.ID, MessageID: m.ID, PageID: th.PageID},
	)
	return nil
}

// Revisions are a PAGE message's earlier bodies, oldest first, for the
// page's ADMINs; nil for everyone else and for other messages.
func (s *Service) Revisions(ctx context.Context, m *ent.Message) ([]*ent.MessageRevision, error) {
	if m.SenderType != message.SenderTypePAGE || m.PageID == nil {
		return nil, nil
	}
	if ok, err := rule.HasPageRole(ctx, *m.PageID, viewer.Scope(""), viewer.RoleAdmin); err != nil || !ok {
		return nil, err
	}
	return s.client.MessageRevision.Query().
		Where(messagerevision.MessageID(m.ID)).
		Order(ent.Asc(messagerevision.FieldID)).
		All(ctx)
}
