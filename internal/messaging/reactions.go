package messaging

import (
	"context"
	"slices"
	"unicode"

	"github.com/rivo/uniseg"

	"pageinbox/ent"
	"pageinbox/ent/reaction"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// ReactionGroup is the contract's ReactionGroup: one emoji on a message,
// how many reacted with it, and whether the viewer did.
type ReactionGroup struct {
	Emoji         string
	Count         int
	ViewerReacted bool
}

// validEmoji accepts one grapheme cluster (uniseg follows Unicode's
// extended grapheme rules, so "👍🏽", flags and ZWJ families count as one)
// that is a pictograph or symbol rather than text: a letter, digit, space
// or punctuation mark is no reaction. Keycaps ("1️⃣") start with a digit
// and are let through by their combining keycap mark.
func validEmoji(e string) error {
	if e == "" || uniseg.GraphemeClusterCount(e) != 1 || len(e) > 64 {
		return apierr.New(apierr.BadUserInput, "emoji must be exactly one emoji")
	}
	first := []rune(e)[0]
	switch {
	case slices.Contains([]rune(e), '\u20e3'): // keycap sequence
		return nil
	case unicode.IsLetter(first), unicode.IsDigit(first), unicode.IsSpace(first),
		unicode.IsPunct(first), unicode.IsControl(first), unicode.IsMark(first):
		return apierr.New(apierr.BadUserInput, "emoji must be exactly one emoji")
	}
	return nil
}

// reactorKey names the viewer as a reactor ("u<id>" or "t<id>").
func reactorKey(v *viewer.Viewer) string {
	if t, ok := v.Token(); ok {
		return tokenKey(t.ID)
	}
	uid, _ := v.UserID()
	return userKey(uid)
}

// React adds (on) or removes the viewer's reaction with emoji to a
// message (rule 37). Only participants of the thread react; doing it twice
// changes nothing and announces nothing. Reactions are not replies: they
// leave the thread's counters and responsiveness alone (rule 16).
func (s *Service) React(ctx context.Context, messageID int, emoji string, on bool) (*ent.Message, error) {
	if err := validEmoji(emoji); err != nil {
		return nil, err
	}
	m, th, snd, err := s.participantMessage(ctx, messageID)
	if err != nil {
		return nil, err
	}
	if m.RemovedAt != nil && on {
		return nil, apierr.New(apierr.BadUserInput, "an unsent message takes no reactions")
	}
	key := reactorKey(viewer.FromContext(ctx))
	ctx = rule.AuthorizeReaction(ctx, snd.side, m.ID, key)
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		var changed bool
		if on {
			err := tx.Reaction.Create().
				SetMessageID(m.ID).SetThreadID(th.ID).SetReactorKey(key).SetEmoji(emoji).SetCreatedAt(s.clock.Now()).
				OnConflictColumns(reaction.FieldMessageID, reaction.FieldReactorKey, reaction.FieldEmoji).
				DoNothing().
				Exec(ctx)
			if err != nil && !store.Conflicted(err) {
				return err
			}
			changed = err == nil
		} else {
			n, err := tx.Reaction.Delete().
				Where(reaction.MessageID(m.ID), reaction.ReactorKey(key), reaction.Emoji(emoji)).
				Exec(ctx)
			if err != nil {
				return err
			}
			changed = n > 0
		}
		if !changed {
			return nil
		}
		return s.announceUpdate(ctx, tx, th, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Reactions aggregates a message's reactions in order of first use.
func (s *Service) Reactions(ctx context.Context, m *ent.Message) ([]*ReactionGroup, error) {
	byMessage, err := s.reactionsOf(ctx, []int{m.ID})
	if err != nil {
		return nil, err
	}
	return groupReactions(ctx, byMessage[m.ID]), nil
}

// BatchedReactions is Reactions for one message of a list: read together
// with its siblings' through the response's loader (WithReactionBatch),
// or alone when there is none.
func (s *Service) BatchedReactions(ctx context.Context, m *ent.Message) ([]*ReactionGroup, error) {
	b, ok := ctx.Value(reactionBatchKey{}).(*reactionBatch)
	if !ok {
		return s.Reactions(ctx, m)
	}
	rs, err := b.loader().Load(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	return groupReactions(ctx, rs), nil
}

// groupReactions groups reactions by emoji, in order of first use, and
// marks the viewer's own.
func groupReactions(ctx context.Context, rs []*ent.Reaction) []*ReactionGroup {
	me := ""
	if v := viewer.FromContext(ctx); v != nil {
		me = reactorKey(v)
	}
	out := []*ReactionGroup{}
	byEmoji := map[string]*ReactionGroup{}
	for _, r := range rs {
		g := byEmoji[r.Emoji]
		if g == nil {
			g = &ReactionGroup{Emoji: r.Emoji}
			byEmoji[r.Emoji] = g
			out = append(out, g)
		}
		g.Count++
		if r.ReactorKey == me {
			g.ViewerReacted = true
		}
	}
	return out
}
