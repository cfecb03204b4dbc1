package messaging

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/comment"
	"pageinbox/ent/message"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// ReplyPrivately is rule 6, the one way a page starts a conversation: a
// private reply to a comment a user left on the page's wall. Once per
// comment, within 7 days; it lands in the DIRECT thread with the commenter
// (created if needed) with referral COMMENT, and the page then waits for
// the user's answer.
func (s *Service) ReplyPrivately(ctx context.Context, commentID int, d Draft) (*Result, error) {
	if viewer.FromContext(ctx) == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in first")
	}
	c, err := s.client.Comment.Query().Where(comment.ID(commentID)).WithPost().Only(ctx)
	if err != nil {
		return nil, store.NotFound(err, "comment not found")
	}
	pageID := c.Edges.Post.PageID
	snd, err := s.pageSender(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	return s.sendDraft(ctx, d, func(ctx context.Context, tx *ent.Tx, batch *pubsub.Batch, atts []schematype.Attachment) (*Result, error) {
		if d.ClientMessageID != nil {
			if res, err := s.earlier(ctx, tx, snd.key, *d.ClientMessageID); res != nil || err != nil {
				return res, err
			}
		}
		if err := s.admit(ctx, tx, snd); err != nil {
			return nil, err
		}
		byStaff, err := tx.PageMembership.Query().
			Where(pagemembership.PageID(pageID), pagemembership.UserID(c.AuthorID)).
			Exist(rule.For(ctx, rule.StaffLookup))
		if err != nil {
			return nil, err
		}
		blocks, err := s.blocks(ctx, tx.Client(), pageID, c.AuthorID)
		if err != nil {
			return nil, err
		}
		err = rule.PrivateReplyAllowed(rule.CommentState{
			CreatedAt:      c.CreatedAt,
			AlreadyReplied: c.PrivateReplyAt != nil,
			ByPageStaff:    byStaff,
			Blocks:         blocks,
		}, s.clock.Now())
		if err != nil {
			return nil, err
		}
		ctx = rule.AuthorizePrivateReply(ctx, c.ID, pageID, c.AuthorID)
		now := s.clock.Now()
		// Claim the comment: of two staff members replying at once, the
		// database lets one through (the other updates no row).
		n, err := tx.Comment.Update().
			Where(comment.ID(c.ID), comment.PrivateReplyAtIsNil()).
			SetPrivateReplyAt(now).
			Save(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, apierr.New(apierr.AlreadyRepliedPrivately, "the page already replied privately to this comment")
		}
		th, created, err := s.createDirectThread(ctx, tx, pageID, c.AuthorID)
		if err != nil {
			return nil, err
		}
		if created {
			batch.Add(pubsub.Event{Topic: pubsub.PageTopic(pageID), Kind: pubsub.KindInbox,
				InboxKind: InboxThreadCreated, ThreadID: th.ID, PageID: pageID})
			if err := s.enqueue(ctx, tx, pageID, schematype.EventThreadCreated, map[string]any{"thread": webhook.Thread(th)}); err != nil {
				return nil, err
			}
		}
		nm := newMessage{sender: snd, body: d.Body, atts: atts, clientID: d.ClientMessageID, privateReply: true,
			referral: &referral{source: message.ReferralSourceCOMMENT, commentID: &c.ID, postID: &c.PostID}}
		ctx = rule.AuthorizeSend(ctx, rule.SidePage, th.ID)
		m, th, err := s.appendMessage(ctx, tx, batch, th, nm)
		if err != nil {
			return nil, err
		}
		if err := tx.Comment.UpdateOneID(c.ID).SetPrivateReplyMessageID(m.ID).Exec(ctx); err != nil {
			return nil, err
		}
		data := s.messageData(ctx, th, m)
		data["comment"] = webhook.Comment(c)
		if err := s.enqueue(ctx, tx, pageID, schematype.EventPrivateReplySent, data); err != nil {
			return nil, err
		}
		if err := s.notify(ctx, tx, batch, th, m, nm); err != nil {
			return nil, err
		}
		return &Result{Message: m, Thread: th}, nil
	})
}

// pageSender is the viewer answering as a page: ADMIN or MODERATOR staff,
// or a token with SEND_MESSAGES.
func (s *Service) pageSender(ctx context.Context, pageID int) (sender, error) {
	v := viewer.FromContext(ctx)
	if t, ok := v.Token(); ok {
		if !v.HasScope(pageID, viewer.ScopeSendMessages) {
			return sender{}, apierr.New(apierr.Forbidden, "this API token cannot send as this page")
		}
		return sender{side: rule.SidePage, tokenID: t.ID, key: tokenKey(t.ID)}, nil
	}
	uid, _ := v.UserID()
	role, ok, err := v.Role(ctx, pageID)
	if err != nil {
		return sender{}, err
	}
	if !ok || !role.HandlesMessages() {
		return sender{}, apierr.New(apierr.Forbidden, "only the page's ADMIN and MODERATOR staff reply privately")
	}
	return sender{side: rule.SidePage, userID: uid, key: userKey(uid)}, nil
}

// CanReplyPrivately is Comment.viewerCanReplyPrivately: the viewer answers
// as the comment's page and rule 6 would let the reply through now.
func (s *Service) CanReplyPrivately(ctx context.Context, c *ent.Comment) (bool, error) {
	if viewer.FromContext(ctx) == nil || c.PrivateReplyAt != nil {
		return false, nil
	}
	pageID, err := s.client.Comment.Query().Where(comment.ID(c.ID)).QueryPost().QueryPage().OnlyID(ctx)
	if err != nil {
		return false, err
	}
	if _, err := s.pageSender(ctx, pageID); err != nil {
		return false, nil //nolint:nilerr // the viewer cannot act for the page: the answer is no
	}
	byStaff, err := s.client.PageMembership.Query().
		Where(pagemembership.PageID(pageID), pagemembership.UserID(c.AuthorID)).Exist(rule.For(ctx, rule.StaffLookup))
	if err != nil {
		return false, err
	}
	blocks, err := s.blocks(ctx, s.client, pageID, c.AuthorID)
	if err != nil {
		return false, err
	}
	return rule.PrivateReplyAllowed(rule.CommentState{
		CreatedAt: c.CreatedAt, ByPageStaff: byStaff, Blocks: blocks,
	}, s.clock.Now()) == nil, nil
}
