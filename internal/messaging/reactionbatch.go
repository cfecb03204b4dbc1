package messaging

import (
	"context"
	"sync"
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
// event must see reactions added since its last one. It is built on the
// first batched read only, and a single message (a mutation's payload, a
// messageUpdated event) reads directly, without the wait.

type reactionBatchKey struct{}

// reactionBatchWait is how long the loader collects ids: the concurrent
// siblings of one list ask within microseconds of each other, or a
// little later on a loaded machine (then a second batch reads the rest).
const reactionBatchWait = 2 * time.Millisecond

// reactionBatch is one response's loader, made when first needed.
type reactionBatch struct {
	s    *Service
	once sync.Once
	l    *dataloadgen.Loader[int, []*ent.Reaction]
}

func (b *reactionBatch) loader() *dataloadgen.Loader[int, []*ent.Reaction] {
	b.once.Do(func() {
		b.l = dataloadgen.NewLoader(func(ctx context.Context, ids []int) ([][]*ent.Reaction, []error) {
			byMessage, err := b.s.reactionsOf(ctx, ids)
			out := make([][]*ent.Reaction, len(ids))
			errs := make([]error, len(ids))
			for i, id := range ids {
				out[i], errs[i] = byMessage[id], err
			}
			return out, errs
		}, dataloadgen.WithWait(reactionBatchWait))
	})
	return b.l
}

// WithReactionBatch returns ctx ready to batch one response's
// Message.reactions (BatchedReactions).
func (s *Service) WithReactionBatch(ctx context.Context) context.Context {
	return context.WithValue(ctx, reactionBatchKey{}, &reactionBatch{s: s})
}

// reactionsOf reads the reactions of messages, oldest first, by message.
func (s *Service) reactionsOf(ctx context.Context, ids []int) (map[int][]*ent.Reaction, error) {
	rs, err := s.client.Reaction.Query().
		Where(reaction.MessageIDIn(ids...)).
		Order(ent.Asc(reaction.FieldID)).
		Select(reaction.FieldMessageID, reaction.FieldEmoji, reaction.FieldReactorKey).
		All(ctx)
	if err != nil {
		return nil, err
	}
	byMessage := make(map[int][]*ent.Reaction, len(ids))
	for _, r := range rs {
		byMessage[r.MessageID] = append(byMessage[r.MessageID], r)
	}
	return byMessage, nil
}
