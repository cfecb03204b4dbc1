package rule

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/entql"
	"entgo.io/ent/privacy"

	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

// The team inbox's rules (35-38): notes are for the page's inbox staff,
// message changes for their sender, collision guards for staff.

// More ent type names.
const (
	typeNote            = "Note"
	typeReaction        = "Reaction"
	typeMessageRevision = "MessageRevision"
)

// The typed filters and owners the team inbox's rules use (internal/store
// checks the generated types against them).
type (
	// NoteFilter is what the note rule uses of *ent.NoteFilter: notes
	// carry their page, so the rule needs no join to the thread.
	NoteFilter interface {
		anyFilter
		WherePageID(entql.IntP)
	}
	// ReactionFilter is what the reaction grant uses of
	// *ent.ReactionFilter: one reactor's reactions on one message.
	ReactionFilter interface {
		anyFilter
		WhereMessageID(entql.IntP)
		WhereReactorKey(entql.StringP)
	}
	// ReactionMutation is what the reaction grant checks of a new
	// reaction: the message and the reactor it is for.
	ReactionMutation interface {
		MessageID() (int, bool)
		ReactorKey() (string, bool)
	}
	// MessageOwned is a mutation of a type with a message_id field.
	MessageOwned interface{ MessageID() (int, bool) }
)

func messageOf(m MessageOwned) (int, bool) { return m.MessageID() }

// noteReaders lists the pages whose notes the viewer reads: ADMIN and
// MODERATOR staff, READ_THREADS tokens (they read the inbox) and
// MANAGE_PAGE tokens (they write notes).
func noteReaders(ctx context.Context) ([]int, error) {
	v := viewer.FromContext(ctx)
	pages, err := inboxPages(ctx, v)
	if err != nil {
		return nil, err
	}
	more, err := pagesWith(ctx, v, viewer.ScopeManagePage)
	if err != nil {
		return nil, err
	}
	return append(pages, more...), nil
}

// FilterNotes shows a note to the inbox staff of its page and to nobody
// else (rule 35): visitors and group members match no row on any path,
// node(id) included.
func FilterNotes() privacy.QueryRule {
	return filterWith(func(ctx context.Context, f NoteFilter) error {
		pages, err := noteReaders(ctx)
		if err != nil {
			return err
		}
		if len(pages) == 0 {
			matchNothing(f)
			return nil
		}
		f.WherePageID(oneOf(pages))
		return nil
	})
}

// IsNoteReader reports whether the viewer reads the page's notes.
func IsNoteReader(ctx context.Context, pageID int) (bool, error) {
	if viewer.FromContext(ctx) == nil {
		return false, nil
	}
	ok, err := IsInboxStaff(ctx, pageID)
	if err != nil || ok {
		return ok, err
	}
	return viewer.FromContext(ctx).HasScope(pageID, viewer.ScopeManagePage), nil
}

// AuthorizeNote lets ADMIN and MODERATOR staff, or a MANAGE_PAGE token,
// add a note to one thread of the page: the note, the MENTIONED
// notifications of that thread, and the thread's place in the inbox.
func AuthorizeNote(ctx context.Context, pageID, threadID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "note", viewer.ScopeManagePage, adminsAndMods(),
		createsFor(typeNote, threadOf, threadID),
		createsFor(typeNotification, threadOf, threadID),
		changes(typeThread, threadOfPage(pageID, threadID)))
}

// AuthorizeSetViewing lets ADMIN and MODERATOR staff say they have a
// thread of the page open (rule 38). People only: viewers are users.
func AuthorizeSetViewing(ctx context.Context, pageID int) error {
	if _, err := RequireUser(ctx); err != nil {
		return err
	}
	return requirePageRole(ctx, pageID, noTokenMayDoIt, adminsAndMods()...)
}

// AuthorizeReaction lets a participant of the thread (checked by the
// caller, who found the viewer's side in it) add or remove their own
// reactions, named by reactorKey, on one message.
func AuthorizeReaction(ctx context.Context, side Side, messageID int, reactorKey string) context.Context {
	return grant(ctx, fmt.Sprintf("react as side %d", side),
		write{typ: typeReaction, create: func(m ent.Mutation) bool {
			r, ok := m.(ReactionMutation)
			if !ok {
				return false
			}
			msg, mok := r.MessageID()
			key, kok := r.ReactorKey()
			return mok && kok && msg == messageID && key == reactorKey
		}},
		changes(typeReaction, as(func(f ReactionFilter) {
			f.WhereMessageID(entql.IntEQ(messageID))
			f.WhereReactorKey(entql.StringEQ(reactorKey))
		})))
}

// Message change limits (rule 37).
const (
	EditWindow   = 15 * time.Minute
	MaxEdits     = 5
	UnsendWindow = 24 * time.Hour
)

// MayEdit applies rule 37's edit limits to a message sent at sentAt and
// edited editCount times.
func MayEdit(sentAt time.Time, editCount int, removed bool, now time.Time) error {
	switch {
	case removed:
		return apierr.New(apierr.BadUserInput, "an unsent message cannot be edited")
	case now.Sub(sentAt) > EditWindow:
		return apierr.New(apierr.Forbidden, "messages can be edited for 15 minutes after sending")
	case editCount >= MaxEdits:
		return apierr.Errorf(apierr.LimitExceeded, "a message can be edited at most %d times", MaxEdits)
	}
	return nil
}

// MayUnsend applies rule 37's unsend window.
func MayUnsend(sentAt time.Time, now time.Time) error {
	if now.Sub(sentAt) > UnsendWindow {
		return apierr.New(apierr.Forbidden, "messages can be unsent for 24 hours after sending")
	}
	return nil
}

// MessageChange names the rows an edit or unsend touches.
type MessageChange struct {
	MessageID, ThreadID int
}

// AuthorizeMessageChange lets the sender of a message edit or unsend it:
// the viewer is its sender (for PAGE messages the staff member who sent
// it, still inbox staff of the page). The caller passes what it found.
// The grant covers the message, its revisions and its thread's preview.
func AuthorizeMessageChange(ctx context.Context, isSender bool, c MessageChange) (context.Context, error) {
	if !isSender {
		return ctx, apierr.New(apierr.Forbidden, "only its sender may change a message")
	}
	return grant(ctx, "message change",
		changes(typeMessage, rowID(c.MessageID)),
		createsFor(typeMessageRevision, messageOf, c.MessageID),
		changes(typeThread, rowID(c.ThreadID))), nil
}

// AuthorizeScrubPayloads lets an unsend rewrite the stored webhook
// deliveries that carry the message (read For UnsendScrub), so its text
// leaves the outbox too.
func AuthorizeScrubPayloads(ctx context.Context, deliveryIDs ...int) context.Context {
	return grant(ctx, "scrub unsent payloads", changes(typeWebhookDelivery, rowIDs(deliveryIDs)))
}
