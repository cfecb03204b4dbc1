package rule

import (
	"context"
	"slices"

	"entgo.io/ent/entql"

	"pageinbox/internal/apierr"
	"pageinbox/internal/secret"
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
	return grant(ctx, "sign up", creates(typeUser), creates(typeSession))
}

// AuthorizeLogIn opens a session for the user whose stored password hash
// the password matches. The rule checks the password itself, so no caller
// can open a session by claiming it did.
func AuthorizeLogIn(ctx context.Context, userID int, passwordHash, password string) (context.Context, error) {
	ok, err := secret.CheckPassword(password, passwordHash)
	if err != nil {
		return ctx, err
	}
	if !ok {
		return ctx, apierr.New(apierr.Unauthenticated, "wrong email or password")
	}
	return grant(ctx, "log in", createsFor(typeSession, userOf, userID)), nil
}

// AuthorizeLogOut lets a user end the session they signed in with.
func AuthorizeLogOut(ctx context.Context) (context.Context, error) {
	v := viewer.FromContext(ctx)
	if _, ok := v.UserID(); !ok {
		return ctx, apierr.New(apierr.Unauthenticated, "sign in to log out")
	}
	return grant(ctx, "log out", changes(typeSession, rowID(v.SessionID()))), nil
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
	return grant(ctx, "create page", creates(typePage), createsFor(typePageMembership, userOf, uid)), uid, nil
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
	return grant(ctx, "page settings", changes(typePage, rowID(pageID))), nil
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

// authorizePage grants writes to staff of the page with one of roles, or
// to a token of the page holding scope ("" = no token may).
func authorizePage(ctx context.Context, pageID int, reason string, scope viewer.Scope, roles []viewer.Role, writes ...write) (context.Context, error) {
	if err := requirePageRole(ctx, pageID, scope, roles...); err != nil {
		return ctx, err
	}
	return grant(ctx, reason, writes...), nil
}

// pageOwnedRows allows creating rows of typ for the page and changing the
// page's rows of typ.
func pageOwnedRows(typ string, pageID int) []write {
	return []write{createsFor(typ, pageOf, pageID), changes(typ, pageRows(pageID))}
}

// noTokenMayDoIt is the scope of operations reserved to people.
const noTokenMayDoIt = viewer.Scope("")

func adminOnly() []viewer.Role     { return []viewer.Role{viewer.RoleAdmin} }
func adminsAndMods() []viewer.Role { return []viewer.Role{viewer.RoleAdmin, viewer.RoleModerator} }

// AuthorizeRoles lets an ADMIN (a person, never a token) change the page's
// staff (rule 2).
func AuthorizeRoles(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "page roles", noTokenMayDoIt, adminOnly(), pageOwnedRows(typePageMembership, pageID)...)
}

// AuthorizeAds lets an ADMIN (or a MANAGE_PAGE token) create ads (rule 9).
func AuthorizeAds(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "ads", viewer.ScopeManagePage, adminOnly(), createsFor(typeAd, pageOf, pageID))
}

// AuthorizeInboxManagement lets ADMIN and MODERATOR staff (or a MANAGE_PAGE
// token) set one thread's status, assignee and labels (rule 15); an
// assignment notifies the assignee.
func AuthorizeInboxManagement(ctx context.Context, pageID, threadID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "inbox management", viewer.ScopeManagePage, adminsAndMods(),
		changes(typeThread, threadOfPage(pageID, threadID)), createsFor(typeNotification, threadOf, threadID))
}

// threadOfPage keeps thread threadID if it belongs to page pageID.
func threadOfPage(pageID, threadID int) func(any) {
	return as(func(f ThreadFilter) {
		f.WhereID(entql.IntEQ(threadID))
		f.WherePageID(entql.IntEQ(pageID))
	})
}

// AuthorizeSavedReplies lets ADMIN and MODERATOR staff (or a MANAGE_PAGE
// token) keep the page's saved replies (rule 14).
func AuthorizeSavedReplies(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "saved replies", viewer.ScopeManagePage, adminsAndMods(), pageOwnedRows(typeSavedReply, pageID)...)
}

// AuthorizePosting lets ADMIN and MODERATOR staff (or a MANAGE_PAGE token)
// post on the page's wall, a GROUP_CHAT post with its chat (rules 17, 18).
func AuthorizePosting(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "posting", viewer.ScopeManagePage, adminsAndMods(),
		createsFor(typePost, pageOf, pageID), createsFor(typeThread, pageOf, pageID))
}

// AuthorizeModeration lets ADMIN and MODERATOR staff (or a MANAGE_PAGE
// token) hide comments and block users (rules 13, 17).
func AuthorizeModeration(ctx context.Context, pageID int) (context.Context, error) {
	return authorizePage(ctx, pageID, "moderation", viewer.ScopeManagePage, adminsAndMods(),
		append(pageOwnedRows(typeBlock, pageID), changes(typeComment, commentsOnPage(pageID)))...)
}

// commentsOnPage keeps the comments on the page's posts.
func commentsOnPage(pageID int) func(any) {
	return as(func(f CommentFilter) { f.WhereHasPostMatching(pageRows(pageID)) })
}

// AuthorizeComment lets any signed-in user comment on a post (rule 17):
// their comment, and the post's comment count.
func AuthorizeComment(ctx context.Context, postID int) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "comment", createsFor(typeComment, postOf, postID), changes(typePost, rowID(postID))), uid, nil
}

// AuthorizeBlockPage lets a user block or unblock a page (rule 13): the
// user's own block rows, never the page's blocks of the user.
func AuthorizeBlockPage(ctx context.Context) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "block page", createsFor(typeBlock, userOf, uid), changes(typeBlock, as(func(f BlockFilter) {
		f.WhereUserID(entql.IntEQ(uid))
		f.WhereBy(entql.StringEQ(blockByUser))
	}))), uid, nil
}

// blockByUser is the Block.by value of a user's own block of a page.
const blockByUser = "USER"

// AuthorizeJoinGroupChat lets a signed-in user join the group chat of a
// post (rule 18), unless the page blocked them: their membership, and the
// chat's updated time.
func AuthorizeJoinGroupChat(ctx context.Context, postID int, blockedByPage bool) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	if blockedByPage {
		return ctx, 0, apierr.New(apierr.Blocked, "this page does not accept you in its group chats")
	}
	return grant(ctx, "join group chat", createsFor(typeGroupMember, userOf, uid),
		changes(typeThread, as(func(f ThreadFilter) { f.WherePostID(entql.IntEQ(postID)) }))), uid, nil
}

// AuthorizeLeaveGroupChat lets a signed-in user leave a group chat: their
// own membership, and the chat's updated time.
func AuthorizeLeaveGroupChat(ctx context.Context, threadID int) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "leave group chat", changes(typeGroupMember, memberRow(threadID, uid)),
		changes(typeThread, rowID(threadID))), uid, nil
}

// memberRow keeps one user's membership of one group chat.
func memberRow(threadID, userID int) func(any) {
	return as(func(f GroupMemberFilter) {
		f.WhereThreadID(entql.IntEQ(threadID))
		f.WhereUserID(entql.IntEQ(userID))
	})
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
	var writes []write
	for _, typ := range []string{typePageAPIToken, typeWebhook, typeWebhookDelivery} {
		writes = append(writes, pageOwnedRows(typ, pageID)...)
	}
	return authorizePage(ctx, pageID, "integrations", noTokenMayDoIt, adminOnly(), writes...)
}

// More ent type names.
const (
	typePageAPIToken    = "PageAPIToken"
	typeWebhook         = "Webhook"
	typeWebhookDelivery = "WebhookDelivery"
)
