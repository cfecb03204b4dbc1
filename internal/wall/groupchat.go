package wall

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/block"
	"pageinbox/ent/groupmember"
	"pageinbox/ent/page"
	"pageinbox/ent/post"
	"pageinbox/ent/predicate"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

func pageIs(id int) predicate.Page { return page.ID(id) }

// JoinGroupChat makes the viewer a member of the chat a GROUP_CHAT post
// promotes (rule 18): at most MaxGroupMembers, not for users the page
// blocked. Joining twice is a no-op.
func (s *Service) JoinGroupChat(ctx context.Context, postID int) (*ent.Thread, error) {
	p, err := s.client.Post.Get(ctx, postID)
	if err != nil {
		return nil, store.NotFound(err, "post not found")
	}
	if p.Kind != post.KindGROUP_CHAT {
		return nil, apierr.New(apierr.BadUserInput, "this post does not promote a group chat")
	}
	uid, err := rule.RequireUser(ctx)
	if err != nil {
		return nil, err
	}
	blocked, err := s.client.Block.Query().
		Where(block.PageID(p.PageID), block.UserID(uid), block.ByEQ(block.ByPAGE)).
		Exist(rule.For(ctx, rule.BlockCheck))
	if err != nil {
		return nil, err
	}
	ctx, uid, err = rule.AuthorizeJoinGroupChat(ctx, postID, blocked)
	if err != nil {
		return nil, err
	}
	var th *ent.Thread
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		// Joins queue on the chat's row, so the member cap holds.
		// System: the joiner is not a member yet and cannot see the chat.
		// Likewise the membership count is the server's bookkeeping.
		sys := rule.For(ctx, rule.GroupChatJoin)
		th, err = store.ForUpdate(tx.Thread.Query().Where(thread.PostID(postID))).Only(sys)
		if err != nil {
			return err
		}
		already, err := tx.GroupMember.Query().Where(groupmember.ThreadID(th.ID), groupmember.UserID(uid)).Exist(sys)
		if err != nil || already {
			return err
		}
		n, err := tx.GroupMember.Query().Where(groupmember.ThreadID(th.ID)).Count(sys)
		if err != nil {
			return err
		}
		if n >= s.cfg.MaxGroupMembers {
			return apierr.Errorf(apierr.LimitExceeded, "this group chat is full (%d members)", s.cfg.MaxGroupMembers)
		}
		now := s.clock.Now()
		// A new member starts with the history read: unread counts what
		// arrives after joining.
		if err := tx.GroupMember.Create().SetThreadID(th.ID).SetUserID(uid).SetJoinedAt(now).
			SetReadSeq(th.LastSeq).Exec(ctx); err != nil {
			return err
		}
		if th, err = tx.Thread.UpdateOneID(th.ID).SetUpdatedAt(now).Save(ctx); err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox,
			InboxKind: "THREAD_UPDATED", ThreadID: th.ID, PageID: th.PageID})
		return nil
	})
	if ent.IsConstraintError(err) {
		// A concurrent join of the same user won; they are a member.
		return s.client.Thread.Query().Where(thread.PostID(postID)).Only(ctx)
	}
	if err != nil {
		return nil, err
	}
	return s.client.Thread.Get(ctx, th.ID) // now visible to the member
}

// LeaveGroupChat ends the viewer's membership; their open streams of the
// chat end with it.
func (s *Service) LeaveGroupChat(ctx context.Context, threadID int) (*ent.Thread, error) {
	th, err := s.client.Thread.Get(ctx, threadID)
	if err != nil {
		return nil, store.NotFound(err, "group chat not found")
	}
	if th.Kind != thread.KindGROUP {
		return nil, apierr.New(apierr.BadUserInput, "only group chats can be left")
	}
	ctx, uid, err := rule.AuthorizeLeaveGroupChat(ctx, th.ID)
	if err != nil {
		return nil, err
	}
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		n, err := tx.GroupMember.Delete().Where(groupmember.ThreadID(th.ID), groupmember.UserID(uid)).Exec(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apierr.New(apierr.BadUserInput, "you are not a member of this group chat")
		}
		if _, err := tx.Thread.UpdateOneID(th.ID).SetUpdatedAt(s.clock.Now()).Save(ctx); err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(
			pubsub.Event{Topic: pubsub.AccessTopic(uid), Kind: pubsub.KindAccess, UserID: uid},
			pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox, InboxKind: "THREAD_UPDATED", ThreadID: th.ID, PageID: th.PageID},
		)
		return nil
	})
	return th, err
}
