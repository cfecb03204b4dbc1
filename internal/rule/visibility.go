package rule

import (
	"context"

	"pageinbox/internal/viewer"
)

// Field visibility: which fields of an object the viewer sees. Fields a
// viewer may not see resolve to null (never an error), so a client cannot
// tell a hidden value from a missing one. The rows themselves are filtered
// by the schemas' policies (privacy.go); these decide the fields of rows
// the viewer can already read.

// IsSelf reports whether userID is the signed-in viewer. A user's own data
// - their notifications and unread counts, the pages they manage or
// blocked, their threads list - is shown to them alone.
func IsSelf(ctx context.Context, userID int) bool {
	uid, ok := viewer.FromContext(ctx).UserID()
	return ok && uid == userID
}

// EmailVisible: a user's email is shown to that user alone, including in
// the AuthPayload of their own signUp or logIn, where the request is still
// anonymous (inOwnAuthPayload: the field sits under that payload).
func EmailVisible(ctx context.Context, userID int, inOwnAuthPayload bool) bool {
	return inOwnAuthPayload || IsSelf(ctx, userID)
}

// SenderVisible is rule 11's last sentence: which staff member sent a PAGE
// message is visible to the page's inbox staff only. Other messages name
// their sender to everyone who can see them.
func SenderVisible(ctx context.Context, isPageMessage bool, pageID int) (bool, error) {
	if !isPageMessage {
		return true, nil
	}
	return StaffIdentityVisible(ctx, pageID)
}

// StaffIdentityVisible: which staff member acts for the page - sent a PAGE
// message, is typing in a thread - is shown to the page's inbox staff
// only; to everyone else it is the page.
func StaffIdentityVisible(ctx context.Context, pageID int) (bool, error) {
	return IsInboxStaff(ctx, pageID)
}

// PostAuthorVisible: the staff member who wrote a wall post is shown to
// the page's staff (any role) and tokens; to everyone else a post is the
// page's.
func PostAuthorVisible(ctx context.Context, pageID int) (bool, error) {
	return IsStaff(ctx, pageID)
}

// HiddenCommentVisible: the body of a comment the page hid is shown to the
// page's staff (any role) and tokens, blank to everyone else (rule 17).
func HiddenCommentVisible(ctx context.Context, pageID int) (bool, error) {
	return IsStaff(ctx, pageID)
}

// ThreadStaffFieldsVisible: a thread's status, assignee and labels
// (rule 15) are shown to those who manage the page's inbox - ADMIN and
// MODERATOR staff, READ_THREADS or MANAGE_PAGE tokens - and null to the
// visitor and group members.
func ThreadStaffFieldsVisible(ctx context.Context, pageID int) (bool, error) {
	return IsInboxManager(ctx, pageID)
}

// InboxVisible: a page's thread list, its unread counts and its live inbox
// events are shown to its inbox staff (rule 11).
func InboxVisible(ctx context.Context, pageID int) (bool, error) {
	return IsInboxStaff(ctx, pageID)
}

// PageStaffListsVisible: a page's staff list, saved replies, ads and
// blocked users are shown to its ADMIN and MODERATOR staff and MANAGE_PAGE
// tokens (an ANALYST reads responsiveness only).
func PageStaffListsVisible(ctx context.Context, pageID int) (bool, error) {
	return IsContentStaff(ctx, pageID)
}
