package messaging

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/message"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
)

// notStale applies rule 38's collision guard: when the sender says which
// seq they saw last and someone else wrote since, nothing is stored.
// Automatic (SYSTEM) messages are nobody's writing; the sender's own
// messages are no news to them.
func (s *Service) notStale(ctx context.Context, tx *ent.Tx, th *ent.Thread, nm newMessage) error {
	if nm.expectedLastSeq == nil || th.LastSeq <= *nm.expectedLastSeq {
		return nil
	}
	q := tx.Message.Query().Where(message.ThreadID(th.ID), message.SeqGT(*nm.expectedLastSeq),
		message.SenderTypeNEQ(message.SenderTypeSYSTEM))
	if nm.sender.userID != 0 {
		q.Where(message.Or(message.SenderIDIsNil(), message.SenderIDNEQ(nm.sender.userID)))
	}
	// The sender may write here but not always read (a SEND_MESSAGES
	// token); only whether such a message exists is used.
	others, err := q.Exist(rule.For(ctx, rule.StaleCheck))
	if err != nil {
		return err
	}
	if others {
		return apierr.Errorf(apierr.StaleThread, "someone else wrote in this thread after seq %d; read it first", *nm.expectedLastSeq)
	}
	return nil
}

// checkReplyTo makes sure a quoted message is of the same thread.
func (s *Service) checkReplyTo(ctx context.Context, tx *ent.Tx, th *ent.Thread, id *int) error {
	if id == nil {
		return nil
	}
	// The thread is the one being written to; the quoted message is
	// looked up in it, for senders who may write without reading.
	ok, err := tx.Message.Query().Where(message.ID(*id), message.ThreadID(th.ID)).Exist(rule.For(ctx, rule.QuotedMessage))
	if err != nil {
		return err
	}
	if !ok {
		return apierr.New(apierr.BadUserInput, "replyToId must be a message of the same thread")
	}
	return nil
}
