package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/ent/thread"
)

// threadFieldColumns are the thread columns each Thread field reads,
// for the fields an inbox list asks for: the columns themselves, the
// foreign keys entgql loads edges by, and what each resolver reads of the
// row (see internal/inbox and internal/messaging). A field missing here
// (canReply, viewers, notes, ...) reads all columns.
var threadFieldColumns = map[string][]string{
	"__typename":        nil,
	"id":                {thread.FieldID},
	"kind":              {thread.FieldKind},
	"title":             {thread.FieldTitle},
	"createdAt":         {thread.FieldCreatedAt},
	"lastMessageAt":     {thread.FieldLastMessageAt},
	"snippet":           {thread.FieldSnippet},
	"visitorLastReadAt": {thread.FieldVisitorLastReadAt},
	"pageLastReadAt":    {thread.FieldPageLastReadAt},
	"page":              {thread.FieldPageID},
	"visitor":           {thread.FieldVisitorID},
	"messages":          {thread.FieldID},
	"lastMessage":       {thread.FieldLastMessageID},
	"members":           {thread.FieldID},
	"post":              {thread.FieldPostID},
	"unreadCount": {thread.FieldVisitorID, thread.FieldKind, thread.FieldVisitorUnread,
		thread.FieldPageUnread, thread.FieldLastSeq},
	"replyWindowEndsAt": {thread.FieldVisitorID, thread.FieldKind, thread.FieldLastVisitorMessageAt},
	"status":            {thread.FieldStatus},
	"labels":            {thread.FieldLabels},
	"priority":          {thread.FieldPriority},
	"snoozedUntil":      {thread.FieldSnoozedUntil},
	"waitingSince":      {thread.FieldWaitingSince},
	"assignee":          {thread.FieldAssigneeID},
}

// threadListColumns returns the thread columns a connection field
// (Page.threads, User.threads) needs for what the operation selects under
// edges.node, or nil for all of them. entgql narrows the columns itself
// only when every field is a column or an edge; one resolver field (an
// inbox always has unreadCount) made it read all 28 columns of every
// thread, most of the cost of scanning the rows.
func threadListColumns(ctx context.Context) []string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	cols := []string{thread.FieldID, thread.FieldPageID}
	for _, edges := range graphql.CollectFields(oc, fc.Field.Selections, []string{"ThreadConnection"}) {
		if edges.Name != "edges" {
			continue
		}
		for _, node := range graphql.CollectFields(oc, edges.Selections, threadEdgeImplementors) {
			if node.Name != "node" {
				continue
			}
			for _, f := range graphql.CollectFields(oc, node.Selections, threadImplementors) {
				need, known := threadFieldColumns[f.Name]
				if !known {
					return nil
				}
				for _, c := range need {
					if !slices.Contains(cols, c) {
						cols = append(cols, c)
					}
				}
			}
		}
	}
	return cols
}
