package rule

import (
	"context"
	"slices"

	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

// Ent type names, as ent.Mutation.Type() reports them.
const (
	typeUser           = "User"
	typeSession        = "Session"
	typePage           = "Page"
	typePageMembership = "PageMembership"
	typeThread         = "Thread"
	typeMessage        = "Message"
	typeNotification   = "Notification"
)

// AuthorizeSignUp lets anyone create an account and its first session.
func AuthorizeSignUp(ctx context.Context) context.Context {
	return grant(ctx, "sign up", typeUser, typeSession)
}

// AuthorizeLogIn opens a session once the password was verified.
func AuthorizeLogIn(ctx context.Context, passwordOK bool) (context.Context, error) {
	if !passwordOK {
		return ctx, apierr.New(apierr.Unauthenticated, "wrong email or password")
	}
	return grant(ctx, "log in", typeSession), nil
}

// AuthorizeLogOut lets a user end their own session.
func AuthorizeLogOut(ctx context.Context) context.Context {
	return grant(ctx, "log out", typeSession)
}

// RequireUser returns the signed-in user's id, or UNAUTHENTICATED. Page
// tokens are not users: they act as a page.
func RequireUser(ctx context.Context) (int, error) {
	v := viewer.FromContext(ctx)
	if uid, ok := v.UserID(); ok {
		return uid, nil
	}
	if _, isToken := v.Token(); isToken {
		return 0, apierr.New(apierr.Forbidden, "a page API token cannot do this; sign in as a user")
	}
	return 0, apierr.New(apierr.Unauthenticated, "sign in first")
}

// AuthorizeCreatePage lets any signed-in user create a page; the creator's
// ADMIN membership is written with it (rule 2).
func AuthorizeCreatePage(ctx context.Context) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "create page", typePage, typePageMembership), uid, nil
}

// HasPageRole reports whether the viewer is staff of the page with one of
// roles, or a token of the page holding scope.
func HasPageRole(ctx context.Context, pageID int, scope viewer.Scope, roles ...viewer.Role) (bool, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return false, nil
	}
	if _, isToken := v.Token(); isToken {
		return v.HasScope(pageID, scope), nil
	}
	r, ok, err := v.Role(ctx, pageID)
	if err != nil || !ok {
		return false, err
	}
	return slices.Contains(roles, r), nil
}

// requirePageRole returns FORBIDDEN unless HasPageRole; anonymous callers
// get UNAUTHENTICATED.
func requirePageRole(ctx context.Context, pageID int, scope viewer.Scope, roles ...viewer.Role) error {
	if viewer.FromContext(ctx) == nil {
		return apierr.New(apierr.Unauthenticated, "sign in first")
	}
	ok, err := HasPageRole(ctx, pageID, scope, roles...)
	if err != nil {
		return err
	}
	if !ok {
		return apierr.New(apierr.Forbidden, "your role on this page does not allow this")
	}
	return nil
}

// AuthorizePageSettings lets the page's ADMIN (or a MANAGE_PAGE token)
// change its settings (rule 2).
func AuthorizePageSettings(ctx context.Context, pageID int) (context.Context, error) {
	if err := requirePageRole(ctx, pageID, viewer.ScopeManagePage, viewer.RoleAdmin); err != nil {
		return ctx, err
	}
	return grant(ctx, "page settings", typePage), nil
}

// IsInboxStaff reports whether the viewer reads the page's inbox: ADMIN or
// MODERATOR, or a READ_THREADS token (rule 11).
func IsInboxStaff(ctx context.Context, pageID int) (bool, error) {
	return HasPageRole(ctx, pageID, viewer.ScopeReadThreads, viewer.RoleAdmin, viewer.RoleModerator)
}

// IsStaff reports whether the viewer has any role on the page (or is one of
// its tokens).
func IsStaff(ctx context.Context, pageID int) (bool, error) {
	v := viewer.FromContext(ctx)
	if t, ok := v.Token(); ok {
		return t.PageID == pageID, nil
	}
	_, ok, err := v.Role(ctx, pageID)
	return ok, err
}

// More ent type names.
const (
	typeBlock           = "Block"
	typeAd              = "Ad"
	typeSavedReply      = "SavedReply"
	typePost            = "Post"
	typeComment         = "Comment"
	typeGroupMember     = "GroupMember"
	typeResponseRequest = "ResponseRequest"
)

// authorizePage grants writes of types to staff of the page with one of
// roles, or to a token of the page holding scope ("" = no token may).
func authorizePage(ctx context.Context, pageID int, reason string, scope viewer.Scope, roles []viewer.Role, types ...string) (context.Context, error) {
	if err := requirePageRole(ctx, pageID, scope, roles...); err != nil {
		return ctx, err
	}
	return grant(ctx, reason, types...), nil
}

// noTokenMayDoIt is the scope of operations reserved to people.
const noTokenMayDoIt = viewer.Scope("")

func adminOnly() []viewer.Role     { return []viewer.Role{viewer.RoleAdmin} }
func adminsAndMods() []viewer.Role { return []viewer.Role{viewer.RoleAdmin, viewer.RoleModerator} }

// AuthorizeRoles lets an ADMIN (a person, never a token) change the page's
// staff (rule 2).
func AuthorizeRoles(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "page roles", noTokenMayDoIt, adminOnly(), typePageMembership)
}

// AuthorizeAds lets an ADMIN (or a MANAGE_PAGE token) create ads (rule 9).
func AuthorizeAds(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "ads", viewer.ScopeManagePage, adminOnly(), typeAd)
}

// AuthorizeInboxManagement lets ADMIN and MODERATOR staff (or a MANAGE_PAGE
// token) set a thread's status, assignee and labels (rule 15); an
// assignment notifies the assignee.
func AuthorizeInboxManagement(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "inbox management", viewer.ScopeManagePage, adminsAndMods(), typeThread, typeNotification)
}

// AuthorizeSavedReplies lets ADMIN and MODERATOR staff (or a MANAGE_PAGE
// token) keep the page's saved replies (rule 14).
func AuthorizeSavedReplies(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "saved replies", viewer.ScopeManagePage, adminsAndMods(), typeSavedReply)
}

// AuthorizePosting lets ADMIN and MODERATOR staff (or a MANAGE_PAGE token)
// post on the page's wall, a GROUP_CHAT post with its chat (rules 17, 18).
func AuthorizePosting(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "posting", viewer.ScopeManagePage, adminsAndMods(), typePost, typeThread)
}

// AuthorizeModeration lets ADMIN and MODERATOR staff (or a MANAGE_PAGE
// token) hide comments and block users (rules 13, 17).
func AuthorizeModeration(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "moderation", viewer.ScopeManagePage, adminsAndMods(), typeComment, typeBlock)
}

// AuthorizeComment lets any signed-in user comment (rule 17).
func AuthorizeComment(ctx context.Context) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "comment", typeComment, typePost), uid, nil
}

// AuthorizeBlockPage lets a user block or unblock a page (rule 13).
func AuthorizeBlockPage(ctx context.Context) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "block page", typeBlock), uid, nil
}

// AuthorizeGroupMembership lets a signed-in user join or leave a group
// chat (rule 18); joining is refused to users the page blocked.
func AuthorizeGroupMembership(ctx context.Context, blockedByPage bool) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	if blockedByPage {
		return ctx, 0, apierr.New(apierr.Blocked, "this page does not accept you in its group chats")
	}
	return grant(ctx, "group membership", typeGroupMember, typeThread), uid, nil
}

// IsInboxManager reports whether the viewer may manage the page's inbox
// and see its staff-only thread fields (status, assignee, labels).
func IsInboxManager(ctx context.Context, pageID int) (bool, error) {
	if v := viewer.FromContext(ctx); v != nil {
		if _, isToken := v.Token(); isToken {
			return v.HasScope(pageID, viewer.ScopeReadThreads) || v.HasScope(pageID, viewer.ScopeManagePage), nil
		}
	}
	return HasPageRole(ctx, pageID, noTokenMayDoIt, adminsAndMods()...)
}

// IsContentStaff reports whether the viewer handles the page's wall,
// saved replies and blocks: ADMIN and MODERATOR, or a MANAGE_PAGE token.
func IsContentStaff(ctx context.Context, pageID int) (bool, error) {
	return HasPageRole(ctx, pageID, viewer.ScopeManagePage, adminsAndMods()...)
}

// AuthorizeIntegrations lets an ADMIN - a person, never a token - manage
// the page's API tokens and webhooks (rules 3, 22).
func AuthorizeIntegrations(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "integrations", noTokenMayDoIt, adminOnly(), typePageAPIToken, typeWebhook, typeWebhookDelivery)
}

// More ent type names.
const (
	typePageAPIToken    = "PageAPIToken"
	typeWebhook         = "Webhook"
	typeWebhookDelivery = "WebhookDelivery"
)
