package store

import (
	"pageinbox/ent"
	"pageinbox/internal/rule"
)

// The privacy rules (internal/rule) are written against these interfaces
// because they cannot import the generated code (ent's generator compiles
// the schemas, which import the rules). The assertions make a renamed or
// removed field a build error here rather than a rule that fails closed at
// run time. Each line is a use in internal/rule: the query filters of the
// ent schemas' policies, and the rows and owners the grants name.
var (
	// Read filters (privacy.go).
	_ rule.ThreadFilter         = (*ent.ThreadFilter)(nil)
	_ rule.GroupMemberFilter    = (*ent.GroupMemberFilter)(nil)
	_ rule.ThreadRowFilter      = (*ent.MessageFilter)(nil)
	_ rule.ThreadRowFilter      = (*ent.GroupMemberFilter)(nil)
	_ rule.NotificationFilter   = (*ent.NotificationFilter)(nil)
	_ rule.PageMembershipFilter = (*ent.PageMembershipFilter)(nil)
	_ rule.PageRowFilter        = (*ent.AdFilter)(nil)
	_ rule.PageRowFilter        = (*ent.SavedReplyFilter)(nil)
	_ rule.PageRowFilter        = (*ent.PageAPITokenFilter)(nil)
	_ rule.PageRowFilter        = (*ent.WebhookFilter)(nil)
	_ rule.PageRowFilter        = (*ent.WebhookDeliveryFilter)(nil)
	_ rule.PageRowFilter        = (*ent.MessageRevisionFilter)(nil)
	_ rule.ThreadRowFilter      = (*ent.ReactionFilter)(nil)
	_ rule.NoteFilter           = (*ent.NoteFilter)(nil)
	_ rule.PageRowFilter        = (*ent.PageEventFilter)(nil)
	_ rule.UserRowFilter        = (*ent.PushSubscriptionFilter)(nil)

	// Rows a grant names (grant.go, authorize.go, send.go, allowance.go).
	_ rule.IDFilter           = (*ent.SessionFilter)(nil)
	_ rule.IDFilter           = (*ent.PageFilter)(nil)
	_ rule.IDFilter           = (*ent.ThreadFilter)(nil)
	_ rule.IDFilter           = (*ent.PostFilter)(nil)
	_ rule.IDFilter           = (*ent.CommentFilter)(nil)
	_ rule.IDFilter           = (*ent.MessageFilter)(nil)
	_ rule.IDFilter           = (*ent.PageAPITokenFilter)(nil)
	_ rule.IDFilter           = (*ent.WebhookDeliveryFilter)(nil)
	_ rule.IDFilter           = (*ent.WebhookFilter)(nil)
	_ rule.IDFilter           = (*ent.PageEventFilter)(nil)
	_ rule.CreatedAtFilter    = (*ent.PageEventFilter)(nil)
	_ rule.WebhookRowFilter   = (*ent.WebhookDeliveryFilter)(nil)
	_ rule.PageRowFilter      = (*ent.PageMembershipFilter)(nil)
	_ rule.PageRowFilter      = (*ent.BlockFilter)(nil)
	_ rule.PageRowFilter      = (*ent.PostFilter)(nil)
	_ rule.CommentFilter      = (*ent.CommentFilter)(nil)
	_ rule.BlockFilter        = (*ent.BlockFilter)(nil)
	_ rule.ThreadIDFilter     = (*ent.ResponseRequestFilter)(nil)
	_ rule.NotificationFilter = (*ent.NotificationFilter)(nil)
	_ rule.ReactionFilter     = (*ent.ReactionFilter)(nil)
	_ rule.IDFilter           = (*ent.PushJobFilter)(nil)
	_ rule.IDFilter           = (*ent.PushDeliveryFilter)(nil)
	_ rule.IDFilter           = (*ent.PushSubscriptionFilter)(nil)
	_ rule.EndpointFilter     = (*ent.PushSubscriptionFilter)(nil)
	_ rule.PushDeliveryFilter = (*ent.PushDeliveryFilter)(nil)

	// Owners a grant checks on creates.
	_ rule.UserOwned            = (*ent.SessionMutation)(nil)
	_ rule.UserOwned            = (*ent.PageMembershipMutation)(nil)
	_ rule.UserOwned            = (*ent.BlockMutation)(nil)
	_ rule.UserOwned            = (*ent.GroupMemberMutation)(nil)
	_ rule.PageOwned            = (*ent.PageMembershipMutation)(nil)
	_ rule.WebhookOwned         = (*ent.NotificationMutation)(nil)
	_ rule.PageOwned            = (*ent.AdMutation)(nil)
	_ rule.PageOwned            = (*ent.SavedReplyMutation)(nil)
	_ rule.PageOwned            = (*ent.BlockMutation)(nil)
	_ rule.PageOwned            = (*ent.PostMutation)(nil)
	_ rule.PageOwned            = (*ent.ThreadMutation)(nil)
	_ rule.PageOwned            = (*ent.PageAPITokenMutation)(nil)
	_ rule.PageOwned            = (*ent.WebhookMutation)(nil)
	_ rule.PageOwned            = (*ent.WebhookDeliveryMutation)(nil)
	_ rule.PageOwned            = (*ent.PageEventMutation)(nil)
	_ rule.ThreadOwned          = (*ent.MessageMutation)(nil)
	_ rule.ThreadOwned          = (*ent.NotificationMutation)(nil)
	_ rule.ThreadOwned          = (*ent.ResponseRequestMutation)(nil)
	_ rule.PostOwned            = (*ent.CommentMutation)(nil)
	_ rule.DirectThreadMutation = (*ent.ThreadMutation)(nil)
	_ rule.ThreadOwned          = (*ent.NoteMutation)(nil)
	_ rule.ReactionMutation     = (*ent.ReactionMutation)(nil)
	_ rule.MessageOwned         = (*ent.MessageRevisionMutation)(nil)
	_ rule.UserOwned            = (*ent.PushSubscriptionMutation)(nil)
)
