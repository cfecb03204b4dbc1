package pages

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/pagemembership"
	"pageinbox/ent/user"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// SetRole gives a user a role on a page, changes it, or (role nil) removes
// them from the staff. The last ADMIN can be neither removed nor demoted
// (rule 2). The user's open streams re-check their access right away.
func (s *Service) SetRole(ctx context.Context, pageID, userID int, role *viewer.Role) (*ent.Page, error) {
	if _, err := s.get(ctx, pageID); err != nil {
		return nil, err
	}
	ctx, err := rule.AuthorizeRoles(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if ok, err := s.client.User.Query().Where(user.ID(userID)).Exist(ctx); err != nil || !ok {
		if err == nil {
			err = apierr.New(apierr.NotFound, "user not found")
		}
		return nil, err
	}
	var p *ent.Page
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		// Role changes of one page queue on its row, so two ADMINs demoting
		// each other at once cannot leave the page without one.
		p, err = store.ForUpdate(tx.Page.Query().Where(page.ID(pageID))).Only(ctx)
		if err != nil {
			return err
		}
		cur, err := tx.PageMembership.Query().
			Where(pagemembership.PageID(pageID), pagemembership.UserID(userID)).
			Only(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		losesAdmin := cur != nil && cur.Role == viewer.RoleAdmin && (role == nil || *role != viewer.RoleAdmin)
		if losesAdmin {
			admins, err := tx.PageMembership.Query().
				Where(pagemembership.PageID(pageID), pagemembership.RoleEQ(viewer.RoleAdmin)).
				Count(ctx)
			if err != nil {
				return err
			}
			if admins <= 1 {
				return apierr.New(apierr.Conflict, "the last ADMIN of a page cannot be removed or demoted")
			}
		}
		switch {
		case role == nil && cur != nil:
			err = tx.PageMembership.DeleteOne(cur).Exec(ctx)
		case role != nil && cur == nil:
			err = tx.PageMembership.Create().SetPageID(pageID).SetUserID(userID).SetRole(*role).
				SetCreatedAt(s.clock.Now()).Exec(ctx)
		case role != nil && cur.Role != *role:
			err = tx.PageMembership.UpdateOne(cur).SetRole(*role).Exec(ctx)
		}
		if err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(pubsub.Event{Topic: pubsub.AccessTopic(userID), Kind: pubsub.KindAccess, UserID: userID})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p.Unwrap(), nil
}
