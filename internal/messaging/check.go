package messaging

import (
	"context"
	"time"

	"pageinbox/ent"
	"pageinbox/ent/thread"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// These answer "could the viewer send now?" with the same rules the send
// path enforces, so the client's canReply / viewerCanMessage never disagree
// with what a send would do.

// CanMessagePage is Page.viewerCanMessage: a signed-in user, not blocked
// either way, and the page accepting messages (or answering with an away
// message).
func (s *Service) CanMessagePage(ctx context.Context, p *ent.Page) (bool, error) {
	uid, ok := viewer.FromContext(ctx).UserID()
	if !ok {
		return false, nil
	}
	b, err := s.blocks(ctx, s.client, p.ID, uid)
	if err != nil {
		return false, err
	}
	_, err = rule.VisitorMayWrite(Settings(p), b, s.clock.Now())
	return err == nil, nil
}

// CanReply is Thread.canReply for the viewer.
func (s *Service) CanReply(ctx context.Context, th *ent.Thread) (bool, error) {
	snd, err := s.senderIn(ctx, s.client, th)
	if err != nil {
		return false, nil //nolint:nilerr // not a participant: cannot reply (a question, not a failure)
	}
	switch snd.side {
	case rule.SideVisitor:
		// Not th.Page(ctx): an eager-loaded page may hold only the
		// columns the query selected.
		p, err := s.client.Page.Get(ctx, th.PageID)
		if err != nil {
			return false, err
		}
		return s.CanMessagePage(ctx, p)
	case rule.SidePage:
		if th.Kind == thread.KindGROUP {
			return true, nil
		}
		st, err := s.threadState(ctx, s.client, th)
		if err != nil {
			return false, err
		}
		return rule.PageMayReply(st, s.clock.Now(), s.cfg.ReplyWindow) == nil, nil
	case rule.SideMember:
		b, err := s.blocks(ctx, s.client, th.PageID, snd.userID)
		if err != nil {
			return false, err
		}
		return rule.MemberMayWrite(b) == nil, nil
	}
	return false, nil
}

// ReplyWindowEndsAt is Thread.replyWindowEndsAt: when the page's reply
// window closes; nil without a window and for the visitor.
func (s *Service) ReplyWindowEndsAt(ctx context.Context, th *ent.Thread) *time.Time {
	if uid, ok := viewer.FromContext(ctx).UserID(); ok && th.VisitorID != nil && *th.VisitorID == uid {
		return nil
	}
	if th.Kind != thread.KindDIRECT {
		return nil
	}
	return rule.ReplyWindowEndsAt(rule.ThreadState{LastVisitorMessageAt: th.LastVisitorMessageAt}, s.cfg.ReplyWindow)
}
