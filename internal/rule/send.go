package rule

import (
	"context"
	"fmt"
	"time"
	// Opening hours are evaluated in the page's IANA time zone; the embedded
	// database makes that work on hosts without /usr/share/zoneinfo.
	_ "time/tzdata"

	"entgo.io/ent"
	"entgo.io/ent/entql"

	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/viewer"
)

// Side is the part a sender plays in a thread.
type Side int

// Sides of a conversation.
const (
	SideVisitor Side = iota + 1 // the person who wrote to the page
	SidePage                    // staff or a token, answering as the page
	SideMember                  // a member of a group chat
)

// PageSettings is what decides whether a page takes visitor messages.
type PageSettings struct {
	MessagingEnabled bool
	AwayMessage      *string
	TimeZone         string
	Availability     []schematype.AvailabilityWindow
}

// InsideHours reports whether now falls in one of the page's weekly windows,
// in the page's time zone. No windows means always open.
func InsideHours(p PageSettings, now time.Time) bool {
	if len(p.Availability) == 0 {
		return true
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC // validated on write; a stored bad zone fails safe to UTC
	}
	t := now.In(loc)
	weekday, minute := int(t.Weekday()), t.Hour()*60+t.Minute()
	for _, w := range p.Availability {
		if w.Weekday == weekday && w.StartMinute <= minute && minute < w.EndMinute {
			return true
		}
	}
	return false
}

// AcceptingMessages is rule 12's `acceptingMessages`: the switch is on and
// now is inside the opening hours.
func AcceptingMessages(p PageSettings, now time.Time) bool {
	return p.MessagingEnabled && InsideHours(p, now)
}

// ValidateAvailability checks weekly windows and the time zone.
func ValidateAvailability(tz string, windows []schematype.AvailabilityWindow) error {
	if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
		return apierr.Errorf(apierr.BadUserInput, "timeZone %q is not an IANA time zone name", tz)
	}
	if len(windows) > 7*24 {
		return apierr.New(apierr.LimitExceeded, "at most 168 availability windows")
	}
	for _, w := range windows {
		if w.Weekday < 0 || w.Weekday > 6 || w.StartMinute < 0 || w.EndMinute > 24*60 || w.StartMinute >= w.EndMinute {
			return apierr.Errorf(apierr.BadUserInput,
				"availability window %+v: weekday 0-6, 0 <= startMinute < endMinute <= 1440", w)
		}
	}
	return nil
}

// VisitorWrite is the outcome of rule 12 for one visitor message.
type VisitorWrite struct {
	// SendAway: the page is closed but has an away message, which goes back
	// to the visitor once per burst.
	SendAway bool
}

// Blocks are the two block directions between a page and a user (rule 13).
type Blocks struct {
	PageBlockedUser bool // the page's staff blocked the user
	UserBlockedPage bool // the user blocked the page
}

// VisitorMayWrite decides whether a visitor may write to a page now
// (rules 4, 12, 13).
func VisitorMayWrite(p PageSettings, b Blocks, now time.Time) (VisitorWrite, error) {
	if b.PageBlockedUser {
		return VisitorWrite{}, apierr.New(apierr.Blocked, "this page does not accept your messages")
	}
	if b.UserBlockedPage {
		return VisitorWrite{}, apierr.New(apierr.Blocked, "you blocked this page; unblock it to write")
	}
	if AcceptingMessages(p, now) {
		return VisitorWrite{}, nil
	}
	if p.AwayMessage != nil && *p.AwayMessage != "" {
		return VisitorWrite{SendAway: true}, nil
	}
	if !p.MessagingEnabled {
		return VisitorWrite{}, apierr.New(apierr.MessagingDisabled, "this page does not take messages")
	}
	return VisitorWrite{}, apierr.New(apierr.MessagingDisabled, "this page is outside its opening hours")
}

// ThreadState is what decides whether the page may write in a DIRECT thread.
type ThreadState struct {
	// LastVisitorMessageAt is nil until the visitor writes.
	LastVisitorMessageAt *time.Time
	// AwaitingVisitor is set by a private reply until the visitor answers.
	AwaitingVisitor bool
	// UserBlockedPage: the visitor blocked the page.
	UserBlockedPage bool
}

// ReplyWindowEndsAt returns when the page's reply window closes, nil when
// the deployment has no window or the visitor never wrote.
func ReplyWindowEndsAt(st ThreadState, window time.Duration) *time.Time {
	if window <= 0 || st.LastVisitorMessageAt == nil {
		return nil
	}
	t := st.LastVisitorMessageAt.Add(window)
	return &t
}

// PageMayReply is rules 5, 6 and 13 for the page's side of a DIRECT thread:
// only after the visitor wrote, not again after a private reply until the
// visitor answers, within the reply window, and not to a user who blocked
// the page.
func PageMayReply(st ThreadState, now time.Time, window time.Duration) error {
	if st.UserBlockedPage {
		return apierr.New(apierr.Blocked, "this person blocked the page")
	}
	if st.LastVisitorMessageAt == nil {
		return apierr.New(apierr.PageCannotInitiate, "pages only answer: the visitor has not written in this thread")
	}
	if st.AwaitingVisitor {
		return apierr.New(apierr.PageCannotInitiate, "after a private reply the page waits for the person to answer")
	}
	if end := ReplyWindowEndsAt(st, window); end != nil && !now.Before(*end) {
		return apierr.Errorf(apierr.ReplyWindowClosed, "the reply window closed at %s", end.UTC().Format(time.RFC3339))
	}
	return nil
}

// MemberMayWrite is rule 13 in a group chat: a member the page blocked
// cannot write in the page's chats.
func MemberMayWrite(b Blocks) error {
	if b.PageBlockedUser {
		return apierr.New(apierr.Blocked, "this page does not accept your messages")
	}
	return nil
}

// PrivateReplyWindow is how long after a comment the page may reply
// privately (rule 6).
const PrivateReplyWindow = 7 * 24 * time.Hour

// CommentState is what decides whether the page may reply privately.
type CommentState struct {
	CreatedAt      time.Time
	AlreadyReplied bool
	// ByPageStaff: the comment is the page's own staff talking, not a user.
	ByPageStaff bool
	Blocks      Blocks
}

// PrivateReplyAllowed is rule 6: once per comment, within 7 days of it,
// only to a user (not the page's own staff), and not across a block.
func PrivateReplyAllowed(c CommentState, now time.Time) error {
	switch {
	case c.AlreadyReplied:
		return apierr.New(apierr.AlreadyRepliedPrivately, "the page already replied privately to this comment")
	case now.Sub(c.CreatedAt) > PrivateReplyWindow:
		return apierr.New(apierr.PrivateReplyExpired, "private replies are possible for 7 days after a comment")
	case c.ByPageStaff:
		return apierr.New(apierr.BadUserInput, "this comment is by the page's own staff")
	case c.Blocks.UserBlockedPage:
		return apierr.New(apierr.Blocked, "this person blocked the page")
	case c.Blocks.PageBlockedUser:
		return apierr.New(apierr.Blocked, "the page blocked this person; unblock them to reply")
	}
	return nil
}

// AuthorizeSend lets one message into one thread: the thread's update,
// the message, the notifications and responsiveness record it causes, and
// the sender's own group membership read mark. The send path calls it after
// the checks above passed for the sender's side.
func AuthorizeSend(ctx context.Context, side Side, threadID int) context.Context {
	uid, _ := viewer.FromContext(ctx).UserID()
	return grant(ctx, fmt.Sprintf("send as side %d", side),
		changes(typeThread, rowID(threadID)),
		createsFor(typeMessage, threadOf, threadID),
		createsFor(typeNotification, threadOf, threadID),
		createsFor(typeResponseRequest, threadOf, threadID),
		changes(typeResponseRequest, threadRows(threadID)),
		changes(typeGroupMember, memberRow(threadID, uid)))
}

// AuthorizeDirectThread lets the DIRECT thread of a page and a visitor be
// created: by the visitor's first message (after VisitorMayWrite) or by
// the page's private reply (after PrivateReplyAllowed).
func AuthorizeDirectThread(ctx context.Context, pageID, visitorID int) context.Context {
	return grant(ctx, "direct thread", write{typ: typeThread, create: func(m ent.Mutation) bool {
		t, ok := m.(DirectThreadMutation)
		if !ok {
			return false
		}
		p, pok := t.PageID()
		v, vok := t.VisitorID()
		return pok && vok && p == pageID && v == visitorID
	}})
}

// AuthorizePrivateReply lets a private reply claim its comment and open
// the DIRECT thread with the comment's author; the message itself is sent
// under AuthorizeSend once the thread is known.
func AuthorizePrivateReply(ctx context.Context, commentID, pageID, authorID int) context.Context {
	ctx = grant(ctx, "private reply", changes(typeComment, rowID(commentID)))
	return AuthorizeDirectThread(ctx, pageID, authorID)
}

// AuthorizeReadMark lets the viewer move their side's read mark of a
// thread they can see (rule 10): the thread row, or their own group
// membership.
func AuthorizeReadMark(ctx context.Context, threadID int) context.Context {
	uid, _ := viewer.FromContext(ctx).UserID()
	return grant(ctx, "mark read", changes(typeThread, rowID(threadID)), changes(typeGroupMember, memberRow(threadID, uid)))
}

// AuthorizeNotificationsRead lets a user mark their own notifications read.
func AuthorizeNotificationsRead(ctx context.Context) (context.Context, int, error) {
	uid, err := RequireUser(ctx)
	if err != nil {
		return ctx, 0, err
	}
	return grant(ctx, "notifications read", changes(typeNotification, as(func(f NotificationFilter) {
		f.WhereRecipientID(entql.IntEQ(uid))
	}))), uid, nil
}

// threadRows keeps the rows that belong to one thread.
func threadRows(threadID int) func(any) {
	return as(func(f ThreadIDFilter) { f.WhereThreadID(entql.IntEQ(threadID)) })
}
