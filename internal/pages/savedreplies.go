package pages

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/savedreply"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// MaxSavedReplies is rule 14's cap per page.
const MaxSavedReplies = 100

var shortcutPattern = regexp.MustCompile(`^[\pL\pN_./-]{1,50}$`)

func validateSavedReply(shortcut, title, body *string) error {
	if shortcut != nil && !shortcutPattern.MatchString(*shortcut) {
		return apierr.New(apierr.BadUserInput, "shortcut must be 1-50 letters, digits, '_', '-', '.' or '/'")
	}
	if title != nil {
		if t := strings.TrimSpace(*title); t == "" || utf8.RuneCountInString(t) > 200 {
			return apierr.New(apierr.BadUserInput, "title must be 1-200 characters")
		}
	}
	if body != nil {
		if strings.TrimSpace(*body) == "" {
			return apierr.New(apierr.BadUserInput, "a saved reply needs a body")
		}
		if utf8.RuneCountInString(*body) > 10_000 {
			return apierr.New(apierr.LimitExceeded, "a saved reply's body is sent as a message: at most 10,000 characters")
		}
	}
	return nil
}

// CreateSavedReply adds a saved reply to a page: at most 100 per page, the
// shortcut unique per page (rule 14).
func (s *Service) CreateSavedReply(ctx context.Context, pageID int, shortcut, title, body string) (*ent.SavedReply, error) {
	if _, err := s.get(ctx, pageID); err != nil {
		return nil, err
	}
	ctx, err := rule.AuthorizeSavedReplies(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if err := validateSavedReply(&shortcut, &title, &body); err != nil {
		return nil, err
	}
	var sr *ent.SavedReply
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		// Creations of one page queue on its row so the cap holds under
		// concurrent requests.
		if _, err := store.ForUpdate(tx.Page.Query().Where(page.ID(pageID))).Only(ctx); err != nil {
			return err
		}
		// The cap counts every row of the page; the staff allowed to add
		// one see them all.
		n, err := tx.SavedReply.Query().Where(savedreply.PageID(pageID)).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxSavedReplies {
			return apierr.Errorf(apierr.LimitExceeded, "a page keeps at most %d saved replies", MaxSavedReplies)
		}
		now := s.clock.Now()
		sr, err = tx.SavedReply.Create().
			SetPageID(pageID).
			SetShortcut(shortcut).
			SetShortcutKey(strings.ToLower(shortcut)).
			SetTitle(strings.TrimSpace(title)).
			SetBody(body).
			SetCreatedAt(now).
			SetUpdatedAt(now).
			Save(ctx)
		return err
	})
	if ent.IsConstraintError(err) {
		return nil, apierr.Errorf(apierr.Conflict, "the page already has a saved reply %q", shortcut)
	}
	if err != nil {
		return nil, err
	}
	return sr.Unwrap(), nil
}

// loadSavedReply finds a saved reply the viewer may manage.
func (s *Service) loadSavedReply(ctx context.Context, id int) (*ent.SavedReply, context.Context, error) {
	sr, err := s.client.SavedReply.Get(ctx, id) // filtered to the viewer's pages
	if err != nil {
		return nil, ctx, store.NotFound(err, "saved reply not found")
	}
	ctx, err = rule.AuthorizeSavedReplies(ctx, sr.PageID)
	return sr, ctx, err
}

// UpdateSavedReply changes a saved reply.
func (s *Service) UpdateSavedReply(ctx context.Context, id int, shortcut, title, body *string) (*ent.SavedReply, error) {
	sr, ctx, err := s.loadSavedReply(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := validateSavedReply(shortcut, title, body); err != nil {
		return nil, err
	}
	upd := sr.Update().SetUpdatedAt(s.clock.Now())
	if shortcut != nil {
		upd.SetShortcut(*shortcut).SetShortcutKey(strings.ToLower(*shortcut))
	}
	if title != nil {
		upd.SetTitle(strings.TrimSpace(*title))
	}
	if body != nil {
		upd.SetBody(*body)
	}
	sr, err = upd.Save(ctx)
	if ent.IsConstraintError(err) {
		return nil, apierr.Errorf(apierr.Conflict, "the page already has a saved reply %q", *shortcut)
	}
	return sr, err
}

// DeleteSavedReply removes a saved reply.
func (s *Service) DeleteSavedReply(ctx context.Context, id int) error {
	sr, ctx, err := s.loadSavedReply(ctx, id)
	if err != nil {
		return err
	}
	return s.client.SavedReply.DeleteOne(sr).Exec(ctx)
}

// SavedReplies lists a page's saved replies by shortcut, searched
// case-insensitively in shortcut, title and body; nil for non-staff.
func (s *Service) SavedReplies(ctx context.Context, p *ent.Page, search string) ([]*ent.SavedReply, error) {
	if ok, err := rule.PageStaffListsVisible(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	search, err := searchText(search)
	if err != nil {
		return nil, err
	}
	q := s.client.SavedReply.Query().Where(savedreply.PageID(p.ID))
	if search != "" {
		q.Where(savedreply.Or(
			savedreply.ShortcutKeyContains(strings.ToLower(search)),
			savedreply.TitleContainsFold(search),
			savedreply.BodyContainsFold(search),
		))
	}
	return q.Order(ent.Asc(savedreply.FieldShortcutKey)).All(ctx)
}
