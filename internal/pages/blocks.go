package pages

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/block"
	"pageinbox/ent/page"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/user"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// BlockPage: a user stops a page from messaging them (rule 13).
func (s *Service) BlockPage(ctx context.Context, pageID int) (*ent.Page, error) {
	return s.setUserBlock(ctx, pageID, true)
}

// UnblockPage lifts the user's block.
func (s *Service) UnblockPage(ctx context.Context, pageID int) (*ent.Page, error) {
	return s.setUserBlock(ctx, pageID, false)
}

func (s *Service) setUserBlock(ctx context.Context, pageID int, on bool) (*ent.Page, error) {
	p, err := s.get(ctx, pageID)
	if err != nil {
		return nil, err
	}
	ctx, uid, err := rule.AuthorizeBlockPage(ctx)
	if err != nil {
		return nil, err
	}
	return p, s.setBlock(ctx, pageID, uid, block.ByUSER, on)
}

// BlockUser: the page's staff stop a user from messaging the page.
func (s *Service) BlockUser(ctx context.Context, pageID, userID int) (*ent.Page, error) {
	return s.setPageBlock(ctx, pageID, userID, true)
}

// UnblockUser lifts the page's block.
func (s *Service) UnblockUser(ctx context.Context, pageID, userID int) (*ent.Page, error) {
	return s.setPageBlock(ctx, pageID, userID, false)
}

func (s *Service) setPageBlock(ctx context.Context, pageID, userID int, on bool) (*ent.Page, error) {
	p, err := s.get(ctx, pageID)
	if err != nil {
		return nil, err
	}
	ctx, err = rule.AuthorizeModeration(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if ok, err := s.client.User.Query().Where(user.ID(userID)).Exist(ctx); err != nil || !ok {
		if err == nil {
			err = apierr.New(apierr.NotFound, "user not found")
		}
		return nil, err
	}
	if on {
		staff, err := s.client.PageMembership.Query().
			Where(pagemembership.PageID(pageID), pagemembership.UserID(userID)).
			Exist(ctx) // moderators see their page's staff list
		if err != nil || staff {
			if err == nil {
				err = apierr.New(apierr.BadUserInput, "a page cannot block its own staff")
			}
			return nil, err
		}
	}
	return p, s.setBlock(ctx, pageID, userID, block.ByPAGE, on)
}

// setBlock adds or removes one block row; both are idempotent. Streams of
// the thread between the two re-check access when it changes.
func (s *Service) setBlock(ctx context.Context, pageID, userID int, by block.By, on bool) error {
	return store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		var err error
		if on {
			err = tx.Block.Create().SetPageID(pageID).SetUserID(userID).SetBy(by).SetCreatedAt(s.clock.Now()).
				OnConflictColumns(block.FieldPageID, block.FieldUserID, block.FieldBy).DoNothing().Exec(ctx)
			if store.Conflicted(err) {
				err = nil // already blocked
			}
		} else {
			_, err = tx.Block.Delete().Where(block.PageID(pageID), block.UserID(userID), block.ByEQ(by)).Exec(ctx)
		}
		if err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(pubsub.Event{Topic: pubsub.AccessTopic(userID), Kind: pubsub.KindAccess, UserID: userID})
		return nil
	})
}

// ViewerHasBlocked is Page.viewerHasBlocked.
func (s *Service) ViewerHasBlocked(ctx context.Context, p *ent.Page) (bool, error) {
	uid, ok := viewer.FromContext(ctx).UserID()
	if !ok {
		return false, nil
	}
	// Reading the viewer's own block row.
	return s.client.Block.Query().
		Where(block.PageID(p.ID), block.UserID(uid), block.ByEQ(block.ByUSER)).
		Exist(rule.For(ctx, rule.BlockCheck))
}

// BlockedPages lists the pages a user blocked, for that user only.
func (s *Service) BlockedPages(ctx context.Context, u *ent.User) ([]*ent.Page, error) {
	if !rule.IsSelf(ctx, u.ID) {
		return nil, nil
	}
	return s.client.Page.Query().
		Where(page.HasBlocksWith(block.UserID(u.ID), block.ByEQ(block.ByUSER))).
		Order(ent.Asc(page.FieldID)).
		All(ctx) // pages are public; the block predicate is the viewer's own
}

// BlockedUsers lists the users a page blocked, for its content staff only.
func (s *Service) BlockedUsers(ctx context.Context, p *ent.Page) ([]*ent.User, error) {
	if ok, err := rule.PageStaffListsVisible(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	return s.client.User.Query().
		Where(user.HasBlocksWith(block.PageID(p.ID), block.ByEQ(block.ByPAGE))).
		Order(ent.Asc(user.FieldID)).
		All(ctx) // users are public; checked above: the viewer is the page's staff
}
