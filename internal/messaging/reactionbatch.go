package messaging

import (
	"context"
	"time"

	"github.com/vikstrous/dataloadgen"

	"pageinbox/ent"
	"pageinbox/ent/reaction"
)

// Reactions of many messages in one statement. A thread's page of 50
// messages asked with their reactions used to read them with 50
// statements, one per message. A response's Message.reactions fields
// resolve concurrently, so a loader (dataloadgen, the batching loader the
// gqlgen documentation recommends) collects the message ids asked within
// two milliseconds and reads their reactions together.
//
// The loader lives for one response, never longer: a subscription's next
// event must see reactions added since its last one.

type reactionBatchKey struct{}

// reactionBatchWait is how long the loader collects ids: the concurrent
// siblings of one list ask within microseconds of each other, or a
// little later on a loaded machine (then a second batch reads the rest).
const reactionBatchWait = 2 * time.Millisecond

// WithReactionBatch returns ctx with a loader for one response's
// Message.reactions.
func (s *Service) WithReactionBatch(ctx context.Context) context.Context {
	l := dataloadgen.NewLoader(func(ctx context.Context, ids []int) ([][]*ent.Reaction, []error) {
		rs, err := s.client.Reaction.Query().
			Where(reaction.MessageIDIn(ids...)).
			Order(ent.Asc(reaction.FieldID)).
			Select(reaction.FieldMessageID, reaction.FieldEmoji, reaction.FieldReactorKey).
			All(ctx)
		out := make([][]*ent.Reaction, len(ids))
		errs := make([]error, len(ids))
		if err != nil {
			for i := range errs {
				errs[i] = err
			}
			return out, errs
		}
		byMessage := make(map[int][]*ent.Reaction, len(ids))
		for _, r := range rs {
			byMessage[r.MessageID] = append(byMessage[r.MessageID], r)
		}
		for i, id := range ids {
			out[i] = byMessage[id]
		}
		return out, nil
	}, dataloadgen.WithWait(reactionBatchWait))
	return context.WithValue(ctx, reactionBatchKey{}, l)
}

// messageReactions reads a message's reactions, oldest first, through
// the response's loader when there is one.
func (s *Service) messageReactions(ctx context.Context, m *ent.Message) ([]*ent.Reaction, error) {
	if l, ok := ctx.Value(reactionBatchKey{}).(*dataloadgen.Loader[int, []*ent.Reaction]); ok {
		return l.Load(ctx, m.ID)
	}
	return s.client.Reaction.Query().
		Where(reaction.MessageID(m.ID)).
		Order(ent.Asc(reaction.FieldID)).
		Select(reaction.FieldEmoji, reaction.FieldReactorKey).
		All(ctx)
}
