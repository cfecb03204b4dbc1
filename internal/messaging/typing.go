package messaging

import (
	"context"

	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// SetTyping tells the thread's other participants that the viewer started
// or stopped typing (rule 19). Nothing is stored; subscribers forget a
// typist who goes quiet (internal/live).
func (s *Service) SetTyping(ctx context.Context, threadID int, typing bool) error {
	th, err := s.client.Thread.Get(ctx, threadID)
	if err != nil {
		return store.NotFound(err, "thread not found")
	}
	snd, err := s.senderIn(ctx, s.client, th)
	if err != nil {
		return err
	}
	st := map[rule.Side]string{rule.SideVisitor: "VISITOR", rule.SidePage: "PAGE", rule.SideMember: "MEMBER"}[snd.side]
	return s.pub.Publish(ctx, pubsub.Event{
		Topic: pubsub.ThreadTopic(th.ID), Kind: pubsub.KindTyping, ThreadID: th.ID,
		UserID: snd.userID, SenderType: st, Typing: typing, PageID: th.PageID,
	})
}
