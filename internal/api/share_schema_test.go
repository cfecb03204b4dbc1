package api

import (
	"testing"

	"pageinbox/graph"
)

// The served schema decides which fields a shared rendering may contain
// (@viewerIndependent). Subscriptions share (the fan-out depends on it),
// and fields whose value depends on who is asking never do: a mark on one
// of them would show one viewer's data to another.
func TestViewerIndependentFieldsFromSchema(t *testing.T) {
	shared := sharedFieldsOf(graph.NewExecutableSchema(graph.Config{}).Schema())
	for _, f := range []string{"Subscription.messageAdded", "Subscription.inboxEvent", "Message.body", "Thread.id", "Message.sender"} {
		if _, ok := shared[f]; !ok {
			t.Errorf("%s is not marked @viewerIndependent", f)
		}
	}
	for _, f := range []string{"Thread.unreadCount", "Thread.canReply", "Thread.replyWindowEndsAt", "User.email", "User.threads", "Message.clientMessageId", "Thread.messages", "Subscription.notificationAdded"} {
		if _, ok := shared[f]; ok {
			t.Errorf("%s depends on the viewer but is marked @viewerIndependent", f)
		}
	}
}
