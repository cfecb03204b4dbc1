package teaminbox

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"entgo.io/contrib/entgql"

	"pageinbox/ent"
	"pageinbox/ent/note"
	"pageinbox/ent/notification"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/ent/user"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// MaxNoteRunes bounds a note's body.
const MaxNoteRunes = 10_000

// mention is "@handle": handles are 3-30 letters, digits, "_" or "."; a
// trailing "." ends the sentence rather than the handle.
var mention = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{3,30})`)

// mentionedHandles lists the lower-cased handles a body mentions.
func mentionedHandles(body string) []string {
	var out []string
	for _, m := range mention.FindAllStringSubmatch(body, 50) {
		h := strings.ToLower(strings.TrimRight(m[1], "."))
		if len(h) >= 3 && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// AddNote adds a staff-only note to a thread (rule 35). "@handle" of an
// ADMIN or MODERATOR of the page mentions them: they get a MENTIONED
// notification. Other handles stay plain text: nobody outside the inbox
// staff learns a note exists.
func (s *Service) AddNote(ctx context.Context, threadID int, body string) (*ent.Note, error) {
	if viewer.FromContext(ctx) == nil {
		return nil, apierr.New(apierr.Unauthenticated, "sign in first")
	}
	if !utf8.ValidString(body) || strings.TrimSpace(body) == "" {
		return nil, apierr.New(apierr.BadUserInput, "a note needs text")
	}
	if n := utf8.RuneCountInString(body); n > MaxNoteRunes {
		return nil, apierr.Errorf(apierr.LimitExceeded, "a note has at most %d characters", MaxNoteRunes)
	}
	th, err := s.staffThread(ctx, threadID)
	if err != nil {
		return nil, err
	}
	ctx, err = rule.AuthorizeNote(ctx, th.PageID, th.ID)
	if err != nil {
		return nil, err
	}
	author, _ := viewer.FromContext(ctx).UserID()
	mentions, err := s.staffByHandle(ctx, th.PageID, mentionedHandles(body))
	if err != nil {
		return nil, err
	}
	var n *ent.Note
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		now := s.clock.Now()
		create := tx.Note.Create().
			SetThreadID(th.ID).SetPageID(th.PageID).SetBody(body).SetMentionIds(mentions).SetCreatedAt(now)
		if author != 0 {
			create.SetAuthorID(author)
		}
		if n, err = create.Save(ctx); err != nil {
			return err
		}
		// The thread moves in the inbox (and resynchronising streams
		// re-announce it).
		if err := tx.Thread.Update().Where(thread.ID(th.ID)).SetUpdatedAt(now).Exec(ctx); err != nil {
			return err
		}
		batch := pubsub.AfterCommit(tx, s.pub, s.log)
		batch.Add(pubsub.Event{Topic: pubsub.PageTopic(th.PageID), Kind: pubsub.KindInbox,
			InboxKind: "NOTE_ADDED", ThreadID: th.ID, PageID: th.PageID, NoteID: n.ID})
		var mentioned []int
		for _, uid := range mentions {
			if uid == author {
				continue // writing your own handle is no news to you
			}
			nt, err := tx.Notification.Create().
				SetRecipientID(uid).SetKind(notification.KindMENTIONED).
				SetThreadID(th.ID).SetPageID(th.PageID).SetNoteID(n.ID).SetCreatedAt(now).
				Save(ctx)
			if err != nil {
				return err
			}
			batch.Add(pubsub.Event{Topic: pubsub.UserTopic(uid), Kind: pubsub.KindNotification,
				NotificationID: nt.ID, UserID: uid, ThreadID: th.ID})
			mentioned = append(mentioned, nt.ID)
		}
		if err := s.push.Notifications(ctx, tx, mentioned, now); err != nil {
			return err
		}
		if s.outbox == nil {
			return nil
		}
		return s.outbox.Enqueue(ctx, tx, th.PageID, schematype.EventNoteAdded,
			map[string]any{"note": noteData(n), "thread": webhook.Thread(th)}, now)
	})
	if err != nil {
		return nil, err
	}
	return n.Unwrap(), nil
}

// staffThread loads a thread for a note writer: inbox staff see it through
// the privacy filter; a MANAGE_PAGE token (which may not read the inbox)
// is let to its own page's threads.
func (s *Service) staffThread(ctx context.Context, id int) (*ent.Thread, error) {
	th, err := s.client.Thread.Get(ctx, id)
	if ent.IsNotFound(err) {
		v := viewer.FromContext(ctx)
		if t, ok := v.Token(); ok && v.HasScope(t.PageID, viewer.ScopeManagePage) {
			// Scope checked just above; the thread must be the token's page's.
			th, err = s.client.Thread.Query().Where(thread.ID(id), thread.PageID(t.PageID)).
				Only(rule.For(ctx, rule.NoteThread))
		}
	}
	if ent.IsNotFound(err) {
		return nil, apierr.New(apierr.NotFound, "thread not found")
	}
	return th, err
}

// staffByHandle resolves handles to the page's ADMIN and MODERATOR staff.
func (s *Service) staffByHandle(ctx context.Context, pageID int, handles []string) ([]int, error) {
	if len(handles) == 0 {
		return []int{}, nil
	}
	// Users are public; the membership condition is part of the
	// statement, so the viewer's own read suffices.
	ids, err := s.client.User.Query().
		Where(user.HandleKeyIn(handles...), user.HasMembershipsWith(
			pagemembership.PageID(pageID), pagemembership.RoleIn(viewer.RoleAdmin, viewer.RoleModerator))).
		Order(ent.Asc(user.FieldID)).
		IDs(ctx)
	if ids == nil {
		ids = []int{}
	}
	return ids, err
}

// Notes are a thread's notes, oldest first, for the page's inbox staff;
// nil for everyone else.
func (s *Service) Notes(ctx context.Context, th *ent.Thread, first *int, after *entgql.Cursor[int]) (*ent.NoteConnection, error) {
	if ok, err := rule.IsNoteReader(ctx, th.PageID); err != nil || !ok {
		return nil, err
	}
	return s.client.Note.Query().Where(note.ThreadID(th.ID)).Paginate(ctx, after, first, nil, nil)
}

// Mentions are the staff members a note mentions.
func (s *Service) Mentions(ctx context.Context, n *ent.Note) ([]*ent.User, error) {
	if len(n.MentionIds) == 0 {
		return []*ent.User{}, nil
	}
	return s.client.User.Query().Where(user.IDIn(n.MentionIds...)).Order(ent.Asc(user.FieldID)).All(ctx)
}

// noteData is a note's webhook payload (NOTE_ADDED).
func noteData(n *ent.Note) map[string]any {
	ids := make([]string, len(n.MentionIds))
	for i, id := range n.MentionIds {
		ids[i] = strconv.Itoa(id)
	}
	d := map[string]any{"id": strconv.Itoa(n.ID), "threadId": strconv.Itoa(n.ThreadID), "body": n.Body,
		"mentionIds": ids, "createdAt": n.CreatedAt}
	if n.AuthorID != nil {
		d["authorId"] = strconv.Itoa(*n.AuthorID)
	}
	return d
}
