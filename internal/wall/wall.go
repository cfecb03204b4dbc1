// Package wall is the public side of a page: posts, comments and their
// moderation (rule 17), and the group chats posts promote (rule 18).
package wall

import (
	"context"
	"log/slog"
	"strings"
	"unicode/utf8"

	"entgo.io/contrib/entgql"

	"pageinbox/ent"
	"pageinbox/ent/comment"
	"pageinbox/ent/post"
	"pageinbox/ent/schema/schematype"
	"pageinbox/ent/thread"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// Config tunes the wall.
type Config struct {
	// MaxGroupMembers caps a group chat (rule 18: 250).
	MaxGroupMembers int
}

// Service runs the wall.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	outbox *webhook.Outbox
	cfg    Config
	log    *slog.Logger
}

// New returns the wall service.
func New(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, outbox *webhook.Outbox, cfg Config, log *slog.Logger) *Service {
	if cfg.MaxGroupMembers == 0 {
		cfg.MaxGroupMembers = 250
	}
	return &Service{client: client, clock: clk, pub: pub, outbox: outbox, cfg: cfg, log: log}
}

// enqueue records a webhook event in the change's transaction.
func (s *Service) enqueue(ctx context.Context, tx *ent.Tx, pageID int, ev schematype.WebhookEvent, data any) error {
	if s.outbox == nil {
		return nil
	}
	return s.outbox.Enqueue(ctx, tx, pageID, ev, data, s.clock.Now())
}

func validateBody(what, body string, maxRunes int) error {
	if strings.TrimSpace(body) == "" || !utf8.ValidString(body) {
		return apierr.Errorf(apierr.BadUserInput, "a %s needs a body", what)
	}
	if n := utf8.RuneCountInString(body); n > maxRunes {
		return apierr.Errorf(apierr.LimitExceeded, "a %s has at most %d characters (got %d)", what, maxRunes, n)
	}
	return nil
}

// CreatePost posts on a page's wall as the page. A GROUP_CHAT post creates
// the group chat it promotes.
func (s *Service) CreatePost(ctx context.Context, pageID int, body string, kind *post.Kind, chatTitle *string) (*ent.Post, error) {
	if ok, err := s.client.Page.Query().Where(pageIs(pageID)).Exist(ctx); err != nil || !ok {
		if err == nil {
			err = apierr.New(apierr.NotFound, "page not found")
		}
		return nil, err
	}
	ctx, err := rule.AuthorizePosting(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if err := validateBody("post", body, 10_000); err != nil {
		return nil, err
	}
	k := post.KindSTATUS
	if kind != nil {
		k = *kind
	}
	var title string
	if k == post.KindGROUP_CHAT {
		title = firstLine(body, 100)
		if chatTitle != nil && strings.TrimSpace(*chatTitle) != "" {
			title = strings.TrimSpace(*chatTitle)
		}
		if utf8.RuneCountInString(title) > 200 {
			return nil, apierr.New(apierr.BadUserInput, "groupChatTitle has at most 200 characters")
		}
	} else if chatTitle != nil {
		return nil, apierr.New(apierr.BadUserInput, "groupChatTitle is for GROUP_CHAT posts")
	}
	var p *ent.Post
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		now := s.clock.Now()
		create := tx.Post.Create().SetPageID(pageID).SetKind(k).SetBody(body).SetCreatedAt(now)
		if uid, ok := viewer.FromContext(ctx).UserID(); ok {
			create.SetCreatedBy(uid)
		}
		var err error
		if p, err = create.Save(ctx); err != nil {
			return err
		}
		if k != post.KindGROUP_CHAT {
			return nil
		}
		th, err := tx.Thread.Create().
			SetKind(thread.KindGROUP).
			SetPageID(pageID).
			SetPostID(p.ID).
			SetTitle(title).
			SetSnippet("").
			SetCreatedAt(now).
			SetLastMessageAt(now).
			SetUpdatedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(pubsub.Event{Topic: pubsub.PageTopic(pageID), Kind: pubsub.KindInbox,
			InboxKind: "THREAD_CREATED", ThreadID: th.ID, PageID: pageID})
		return s.enqueue(ctx, tx, pageID, schematype.EventThreadCreated, map[string]any{"thread": webhook.Thread(th)})
	})
	if err != nil {
		return nil, err
	}
	return p.Unwrap(), nil
}

func firstLine(s string, maxRunes int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(line); len(r) > maxRunes {
		return string(r[:maxRunes-1]) + "…"
	}
	return line
}

// Posts lists a page's wall, newest first. Public.
func (s *Service) Posts(ctx context.Context, p *ent.Page, first *int, after *entgql.Cursor[int]) (*ent.PostConnection, error) {
	return s.client.Post.Query().Where(post.PageID(p.ID)).Paginate(ctx, after, first, nil, nil,
		ent.WithPostOrder(&ent.PostOrder{Direction: entgql.OrderDirectionDesc, Field: ent.PostOrderFieldCreatedAt}))
}

// PostAuthor is the staff member who wrote a post, shown to the page's
// staff only: to everyone else a post is the page's.
func (s *Service) PostAuthor(ctx context.Context, p *ent.Post) (*ent.User, error) {
	if p.CreatedBy == nil {
		return nil, nil
	}
	if ok, err := rule.PostAuthorVisible(ctx, p.PageID); err != nil || !ok {
		return nil, err
	}
	return s.client.User.Get(ctx, *p.CreatedBy)
}

// CreateComment comments on a post as the signed-in user.
func (s *Service) CreateComment(ctx context.Context, postID int, body string) (*ent.Comment, error) {
	ctx, uid, err := rule.AuthorizeComment(ctx, postID)
	if err != nil {
		return nil, err
	}
	if err := validateBody("comment", body, 5_000); err != nil {
		return nil, err
	}
	var c *ent.Comment
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		n, err := tx.Post.Update().Where(post.ID(postID)).AddCommentCount(1).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apierr.New(apierr.NotFound, "post not found")
		}
		c, err = tx.Comment.Create().SetPostID(postID).SetAuthorID(uid).SetBody(body).SetCreatedAt(s.clock.Now()).Save(ctx)
		if err != nil {
			return err
		}
		pageID, err := tx.Post.Query().Where(post.ID(postID)).QueryPage().OnlyID(ctx)
		if err != nil {
			return err
		}
		return s.enqueue(ctx, tx, pageID, schematype.EventCommentCreated, map[string]any{"comment": webhook.Comment(c)})
	})
	if err != nil {
		return nil, err
	}
	return c.Unwrap(), nil
}

// HideComment hides (or shows again) a comment on the page's wall.
func (s *Service) HideComment(ctx context.Context, commentID int, hidden bool) (*ent.Comment, error) {
	c, err := s.client.Comment.Query().Where(comment.ID(commentID)).WithPost().Only(ctx)
	if err != nil {
		return nil, store.NotFound(err, "comment not found")
	}
	ctx, err = rule.AuthorizeModeration(ctx, c.Edges.Post.PageID)
	if err != nil {
		return nil, err
	}
	return c.Update().SetHidden(hidden).Save(ctx)
}

// CommentBody is the comment's text, blank for non-staff when hidden.
func (s *Service) CommentBody(ctx context.Context, c *ent.Comment) (string, error) {
	if !c.Hidden {
		return c.Body, nil
	}
	pageID, err := s.pageOf(ctx, c)
	if err != nil {
		return "", err
	}
	if ok, err := rule.HiddenCommentVisible(ctx, pageID); err != nil || !ok {
		return "", err
	}
	return c.Body, nil
}

// pageOf returns the page whose wall holds a comment.
func (s *Service) pageOf(ctx context.Context, c *ent.Comment) (int, error) {
	return s.client.Post.Query().Where(post.ID(c.PostID)).QueryPage().OnlyID(ctx)
}
