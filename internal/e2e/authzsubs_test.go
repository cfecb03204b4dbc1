package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// Subscription rows of the authorization matrix (rule 19, with 11 and
// 35-38). A cell opens the subscription as its caller over the websocket
// and records what the server answers: the code of an `error` message, or
// "ok" once the stream is accepted and delivers a `next` (messageAdded's
// replay, or the event the row's trigger makes once the stream is
// registered with the broker; a row without a trigger is "ok" on
// registration).
// An accepted stream that delivers nothing is "silent", and a subscribe
// that gets neither an answer nor a registration is "no answer": both fail
// every expectation, so silence cannot pass for a refusal (rule 19).

// subscriptionCellTimeout bounds one cell: subscribing, the trigger and
// the event's delivery.
const subscriptionCellTimeout = 5 * time.Second

// target is the thread a participant subscribes to: the group chat for
// its member (their way into a thread), the visitor's thread for others.
func (w *world) target(caller string) string {
	if caller == "member" {
		return w.chat
	}
	return w.thread
}

// chatMessage returns a message of the group chat, made on first use so
// the other rows' fixture stays as it was.
func (w *world) chatMessage() string {
	if w.chatMsg == "" {
		w.chatMsg = w.s.SendIn(w.owner, w.chat, "welcome").OK().String("sendMessage.message.id")
	}
	return w.chatMsg
}

// participants: the thread's visitor, the chat's member, the page's ADMIN
// and MODERATOR, READ_THREADS tokens (rule 11). To everyone else signed in
// the thread does not exist.
func participants() map[string]string {
	return all("NOT_FOUND", "anonymous", unauth, "visitor", "ok", "member", "ok", "moderator", "ok", "admin", "ok",
		"token:READ_THREADS", "ok")
}

func subscriptionRows() map[string]authzRow {
	onTarget := func(w *world, caller string) apptest.Vars { return apptest.Vars{"t": w.target(caller)} }
	return map[string]authzRow{
		// With after: 0 the direct thread's history replays at once; the
		// chat has none until the trigger's message.
		"Subscription.messageAdded": {doc: `subscription($t: ID!) { messageAdded(threadId: $t, after: 0) { id } }`, vars: onTarget,
			trigger: func(w *world, caller string) { w.s.SendIn(w.owner, w.target(caller), w.fresh("live")).OK() },
			want:    participants()},
		"Subscription.messageUpdated": {doc: `subscription($t: ID!) { messageUpdated(threadId: $t) { id } }`, vars: onTarget,
			trigger: func(w *world, caller string) {
				m := w.message
				if caller == "member" {
					m = w.chatMessage()
				}
				v := apptest.Vars{"m": m, "e": "🎉"}
				w.s.Do(w.owner.Token, react, v).OK()
				w.s.Do(w.owner.Token, unreact, v).OK()
			},
			want: participants()},
		"Subscription.typing": {doc: `subscription($t: ID!) { typing(threadId: $t) { typing } }`, vars: onTarget,
			trigger: func(w *world, caller string) {
				typist := w.owner // typists do not hear themselves
				if caller == "admin" {
					typist = w.visitor
				}
				set := `mutation($t: ID!, $on: Boolean!) { setTyping(input: {threadId: $t, typing: $on}) }`
				w.s.Do(typist.Token, set, apptest.Vars{"t": w.target(caller), "on": true}).OK()
				w.s.Do(typist.Token, set, apptest.Vars{"t": w.target(caller), "on": false}).OK()
			},
			want: participants()},
		// The inbox: the page's ADMIN and MODERATOR, READ_THREADS tokens.
		// Others see the page, so they are refused, not told it is missing.
		"Subscription.inboxEvent": {doc: `subscription($p: ID!) { inboxEvent(pageId: $p) { kind } }`,
			vars:    func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.page.ID} },
			trigger: func(w *world, _ string) { w.s.SendIn(w.visitor, w.thread, w.fresh("inbox")).OK() },
			want:    all(forbid, "anonymous", unauth, "moderator", "ok", "admin", "ok", "token:READ_THREADS", "ok")},
		// The viewer's own notifications: people, not tokens. The trigger
		// gives the caller a notification by rule 20; people with no part
		// in page P's conversations get theirs from page Q.
		"Subscription.notificationAdded": {doc: `subscription { notificationAdded { id } }`,
			trigger: func(w *world, caller string) {
				switch caller {
				case "visitor":
					w.s.SendIn(w.owner, w.thread, w.fresh("reply")).OK()
				case "admin", "moderator":
					w.s.SendIn(w.visitor, w.thread, w.fresh("ask")).OK()
				case "member":
					w.s.SendIn(w.owner, w.chat, w.fresh("all")).OK()
				case "otherAdmin":
					w.s.SendToPage(w.stranger, w.other, w.fresh("q")).OK()
				case "stranger", "analyst":
					th := w.s.SendToPage(w.users[caller], w.other, w.fresh("q")).OK().String("sendMessageToPage.thread.id")
					w.s.SendIn(w.otherAdmin, th, w.fresh("a")).OK()
				}
			},
			want: peopleOnly()},
	}
}

// subscriptionOutcome subscribes on ws as operation id and returns the
// cell's outcome (see the top of this file).
func subscriptionOutcome(t *testing.T, w *world, ws *apptest.WS, id string, row authzRow, caller string) string {
	t.Helper()
	var vars apptest.Vars
	if row.vars != nil {
		vars = row.vars(w, caller)
	}
	base := w.s.Broker.Subscribers()
	ws.Subscribe(id, row.doc, vars)
	defer func() {
		ws.Stop(id)
		w.s.WaitSubscribers(base)
	}()
	deadline := time.Now().Add(subscriptionCellTimeout)
	registered := false
	for time.Now().Before(deadline) {
		if m, ok := ws.TryNext(10 * time.Millisecond); ok && m.ID == id {
			switch m.Type {
			case "error":
				return m.Errors()[0].Code()
			case "next", "data":
				if r := ws.DataFrom(m); len(r.Errors) > 0 {
					return r.Code()
				}
				return "ok"
			default:
				return m.Type // "complete" without data: neither accepted nor refused
			}
		}
		if !registered && w.s.Broker.Subscribers() > base {
			registered = true
			if row.trigger == nil {
				return "ok"
			}
			row.trigger(w, caller)
		}
	}
	if registered {
		return "silent"
	}
	return "no answer"
}
