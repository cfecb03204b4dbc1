package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"pageinbox/internal/rule"
)

// Thread is a conversation: DIRECT between a page and one visitor, or GROUP
// (a group chat promoted by a post). It carries the counters the inbox needs
// (last seq, unread per side, snippet) so listing an inbox never scans
// messages.
type Thread struct {
	ent.Schema
}

// Fields of the Thread.
func (Thread) Fields() []ent.Field {
	return []ent.Field{
		field.Int("id").Annotations(viewerIndependent()),
		field.Enum("kind").Values("DIRECT", "GROUP").Immutable().Annotations(viewerIndependent()).
			Comment("DIRECT: one visitor and the page's staff. GROUP: the group chat of a wall post, for its members and the page's staff."),
		field.Int("page_id").Immutable().Annotations(entgql.Skip()),
		field.Int("visitor_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		// GROUP threads: the post that promotes the chat.
		field.Int("post_id").Optional().Nillable().Immutable().Annotations(entgql.Skip()),
		field.String("title").Optional().Nillable().MaxLen(200).Annotations(viewerIndependent()).
			Comment("The title of a GROUP chat; null for DIRECT threads."),
		field.Enum("status").Values("OPEN", "DONE", "SPAM", "SNOOZED").Default("OPEN").
			Annotations(entgql.Skip()),
		// SNOOZED threads turn OPEN at snoozed_until (internal/teaminbox's
		// scheduler polls the index below) or at the visitor's next message.
		field.Time("snoozed_until").Optional().Nillable().Annotations(entgql.Skip()),
		// priority is ThreadPriority's rank, NONE (0) .. URGENT (4), so the
		// inbox sorts by it through an index.
		field.Int("priority").Default(0).Min(0).Max(4).
			Annotations(entgql.Skip(entgql.SkipType), entgql.OrderField("PRIORITY")),
		// waiting_since is the oldest visitor message no human of the page
		// answered yet, kept by the send path; null when nothing waits.
		field.Time("waiting_since").Optional().Nillable().
			Annotations(entgql.Skip(entgql.SkipType), entgql.OrderField("WAITING_SINCE")),
		field.Int("assignee_id").Optional().Nillable().Annotations(entgql.Skip()),
		field.JSON("labels", []string{}).Default([]string{}).Annotations(entgql.Skip()),
		field.Time("created_at").Default(time.Now).Immutable().Annotations(viewerIndependent()).
			Comment("When the first message created the thread."),
		field.Time("last_message_at").Default(time.Now).
			Annotations(entgql.OrderField("LAST_MESSAGE_AT")).Annotations(viewerIndependent()).
			Comment("When the newest message was sent; inboxes sort by it."),
		field.String("snippet").Default("").Annotations(viewerIndependent()).
			Comment("The start of the newest message, for lists."),
		field.Int("last_message_id").Optional().Nillable().Annotations(entgql.Skip()),
		// last_seq is the seq of the newest message; the next message takes
		// last_seq+1 while the thread row is locked, so seq has no gaps.
		field.Int("last_seq").Default(0).Annotations(entgql.Skip()),
		field.Int("visitor_read_seq").Default(0).Annotations(entgql.Skip()),
		field.Int("page_read_seq").Default(0).Annotations(entgql.Skip()),
		field.Time("visitor_last_read_at").Optional().Nillable().Annotations(viewerIndependent()).
			Comment("When the visitor last read the thread (the page's staff show it as \"Seen\")."),
		field.Time("page_last_read_at").Optional().Nillable().Annotations(viewerIndependent()).
			Comment("When the page's staff last read the thread (the visitor sees it as \"Seen\")."),
		// Unread counters per side, kept exact on every send and read.
		field.Int("visitor_unread").Default(0).Annotations(entgql.Skip()),
		field.Int("page_unread").Default(0).Annotations(entgql.Skip()),
		// Null until the visitor writes: pages never start a conversation.
		field.Time("last_visitor_message_at").Optional().Nillable().Annotations(entgql.Skip()),
		// Set by a private reply: the page waits for the visitor's answer.
		field.Bool("awaiting_visitor").Default(false).Annotations(entgql.Skip()),
		// The visitor's request (rule 16) waiting for a page reply, if any.
		field.Int("open_request_id").Optional().Nillable().Annotations(entgql.Skip()),
		// The away message went out in the current burst of visitor
		// messages; a human page reply ends the burst.
		field.Bool("away_sent").Default(false).Annotations(entgql.Skip()),
		// updated_at moves on every change, so an inbox subscriber that
		// lost events can ask for what changed since.
		field.Time("updated_at").Default(time.Now).Annotations(entgql.Skip()),
	}
}

// Edges of the Thread.
func (Thread) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("page", Page.Type).Ref("threads").Field("page_id").Unique().Required().Immutable().
			Annotations(viewerIndependent()).
			Comment("The page the conversation is with."),
		edge.From("visitor", User.Type).Ref("visitor_threads").Field("visitor_id").Unique().Immutable().Annotations(viewerIndependent()).
			Comment("DIRECT threads: the person who wrote to the page; null for GROUP threads."),
		edge.To("messages", Message.Type).Annotations(entgql.RelayConnection()).
			Comment("The messages, oldest first (by seq)."),
		// The newest message, so an inbox shows it without an N+1 lookup.
		edge.From("last_message", Message.Type).Ref("last_of").Field("last_message_id").Unique().Annotations(viewerIndependent()).
			Comment("The newest message."),
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip()),
		edge.To("members", User.Type).Through("group_memberships", GroupMember.Type).
			Annotations(entgql.RelayConnection()).
			Comment("GROUP threads: the members; empty for DIRECT threads."),
		edge.From("post", Post.Type).Ref("group_chat").Field("post_id").Unique().Immutable().
			Comment("GROUP threads: the wall post that promotes the chat."),
		// Staff-only notes; read through Thread.notes (schema.graphql),
		// which answers null to everyone else.
		edge.To("notes", Note.Type).Annotations(entgql.Skip()),
		// Through this edge a reaction is read by whoever reads its thread.
		edge.To("reactions", Reaction.Type).Annotations(entgql.Skip()),
	}
}

// Indexes of the Thread.
func (Thread) Indexes() []ent.Index {
	return []ent.Index{
		// One DIRECT thread per (page, visitor); GROUP threads have no visitor
		// and NULLs never collide.
		index.Fields("page_id", "visitor_id").Unique(),
		index.Fields("page_id", "last_message_at"),
		index.Fields("visitor_id", "last_message_at"),
		index.Fields("page_id", "updated_at"),
		// The team inbox's filters and sorts (ThreadFilter.priority, sort).
		index.Fields("page_id", "priority", "last_message_at"),
		index.Fields("page_id", "waiting_since"),
		// The snooze scheduler finds due threads of every page.
		index.Fields("snoozed_until"),
	}
}

// Annotations of the Thread.
func (Thread) Annotations() []schema.Annotation {
	return []schema.Annotation{
		schema.Comment("A conversation: DIRECT between one visitor and a page's staff, or GROUP, the group chat of a wall post."),
		entgql.RelayConnection(),
		// PRIORITY sorts by priority, then newest activity.
		entgql.MultiOrder(),
	}
}

// Policy of the Thread.
func (Thread) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.DirectThread, rule.GroupChatJoin, rule.Dedup, rule.EventDelivery, rule.NoteThread, rule.SnoozeWake, rule.WebhookDisabledNotice), rule.FilterThreads())
}
