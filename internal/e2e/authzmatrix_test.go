package e2e

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"pageinbox/internal/apptest"
)

// The authorization matrix: every query field, mutation and subscription
// of the contract, called by every kind of caller, with the outcome the
// rules give. A contract operation without a row fails the test, so a new
// operation cannot ship without its authorization being decided here.
//
// Outcomes: "ok" (data, no error), "null" (the field is null: the object
// does not exist for this caller, rule 11/28 - with or without NOT_FOUND),
// or an error code.

// callerKinds, in table order.
var callerKinds = []string{"anonymous", "stranger", "visitor", "member", "analyst", "moderator", "admin",
	"token:READ_THREADS", "token:SEND_MESSAGES", "token:MANAGE_PAGE", "otherAdmin"}

// world is the fixture every cell runs against: page P with its staff, a
// visitor's DIRECT thread, a group chat with a member, a public post with
// the visitor's comment, and another page Q with its own admin.
type world struct {
	s                            *apptest.Server
	owner, mod, analyst, visitor apptest.User
	member, stranger, otherAdmin apptest.User
	page, other                  apptest.Page
	thread, chat, post, chatPost string
	message                      string // the visitor's first message in thread
	chatMsg                      string // see chatMessage
	comment, savedReply          string
	tokens                       map[string]string
	users                        map[string]apptest.User
	n                            int
}

func newWorld(t *testing.T, s *apptest.Server) *world {
	w := &world{s: s, tokens: map[string]string{}}
	w.owner, w.mod, w.analyst = s.SignUp("owner"), s.SignUp("mod"), s.SignUp("analyst")
	w.visitor, w.member, w.stranger, w.otherAdmin = s.SignUp("visitor"), s.SignUp("member"), s.SignUp("stranger"), s.SignUp("otheradmin")
	w.page = s.CreatePage(w.owner, "matrix_"+w.owner.ID)
	w.other = s.CreatePage(w.otherAdmin, "matrixq_"+w.owner.ID)
	s.SetRole(w.owner, w.page, w.mod, "MODERATOR").OK()
	s.SetRole(w.owner, w.page, w.analyst, "ANALYST").OK()
	first := s.SendToPage(w.visitor, w.page, "hello").OK()
	w.thread, w.message = first.String("sendMessageToPage.thread.id"), first.String("sendMessageToPage.message.id")
	s.SendIn(w.owner, w.thread, "hi there").OK()
	cp := s.CreatePost(w.owner, w.page, "club", "GROUP_CHAT").OK()
	w.chatPost, w.chat = cp.String("createPost.post.id"), cp.String("createPost.post.groupChat.id")
	s.Do(w.member.Token, joinGroup, apptest.Vars{"p": w.chatPost}).OK()
	w.post = s.CreatePost(w.owner, w.page, "news", "").OK().String("createPost.post.id")
	w.comment = s.Comment(w.visitor, w.post, "nice")
	w.savedReply = s.Do(w.owner.Token, `mutation($p: ID!) { createSavedReply(input: {pageId: $p, shortcut: "hi", title: "Hi", body: "Hello!"}) { savedReply { id } } }`,
		apptest.Vars{"p": w.page.ID}).OK().String("createSavedReply.savedReply.id")
	for _, scope := range []string{"READ_THREADS", "SEND_MESSAGES", "MANAGE_PAGE"} {
		tok, _ := newToken(s, w.owner, w.page, scope)
		w.tokens["token:"+scope] = tok
	}
	w.users = map[string]apptest.User{"stranger": w.stranger, "visitor": w.visitor, "member": w.member, "analyst": w.analyst,
		"moderator": w.mod, "admin": w.owner, "otherAdmin": w.otherAdmin}
	return w
}

func (w *world) token(kind string) string {
	if u, ok := w.users[kind]; ok {
		return u.Token
	}
	return w.tokens[kind] // "" for anonymous
}

// visitorMessage sends a new message as the visitor and returns its id:
// edits and unsends need a message of their own for every cell.
func (w *world) visitorMessage() string {
	return w.s.SendIn(w.visitor, w.thread, w.fresh("m")).OK().String("sendMessage.message.id")
}

// webhook registers a webhook of the page (a public address nobody
// answers at) and returns its id.
func (w *world) webhook() string {
	return w.s.Do(w.owner.Token, `mutation($p: ID!) { createWebhook(input: {pageId: $p, url: "https://93.184.216.34/hook", events: [MESSAGE_CREATED]}) { webhook { id } } }`,
		apptest.Vars{"p": w.page.ID}).OK().String("createWebhook.webhook.id")
}

// fresh returns a name unique in this world.
func (w *world) fresh(prefix string) string {
	w.n++
	return fmt.Sprintf("%s%d_%s", prefix, w.n, w.owner.ID)
}

// authzRow is one operation of the matrix.
type authzRow struct {
	doc  string
	vars func(w *world, caller string) apptest.Vars
	// as replaces the caller's token (operations that spend it: logOut).
	as   func(w *world, caller string) string
	want map[string]string // caller kind -> outcome; "*" is the default
	// path is where "null" is read (default: the field itself).
	path string
	// trigger makes an event the subscription should deliver to caller
	// (subscriptions only).
	trigger func(w *world, caller string)
}

func outcome(r *apptest.Response, path string) string {
	isNull := r.Data != nil && r.Get(path) == nil
	if len(r.Errors) > 0 {
		if code := r.Code(); (code == "NOT_FOUND" || code == "") && isNull {
			return "null"
		}
		return r.Code()
	}
	if isNull {
		return "null"
	}
	return "ok"
}

// peopleOnly: any signed-in person; a page token is not one.
func peopleOnly() map[string]string {
	return all("ok", "anonymous", unauth, "token:READ_THREADS", forbid, "token:SEND_MESSAGES", forbid, "token:MANAGE_PAGE", forbid)
}

func all(o string, except ...string) map[string]string {
	m := map[string]string{"*": o}
	for i := 0; i+1 < len(except); i += 2 {
		m[except[i]] = except[i+1]
	}
	return m
}

// users: every signed-in person; tokens are not people.
const (
	unauth = "UNAUTHENTICATED"
	forbid = "FORBIDDEN"
)

func authzRows() map[string]authzRow {
	page := func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.page.ID} }
	thread := func(w *world, _ string) apptest.Vars { return apptest.Vars{"t": w.thread} }
	// Content staff: ADMIN, MODERATOR, and MANAGE_PAGE tokens. Others get
	// FORBIDDEN when they see the page's objects, NOT_FOUND when they do not.
	staffOnly := func(ok string) map[string]string {
		return all(forbid, "anonymous", unauth, "moderator", ok, "admin", ok, "token:MANAGE_PAGE", ok)
	}
	hiddenStaffOnly := func() map[string]string {
		return all("NOT_FOUND", "moderator", "ok", "admin", "ok", "token:MANAGE_PAGE", "ok")
	}
	return map[string]authzRow{
		// Queries.
		"Query.node": {doc: `query($t: ID!) { node(id: $t) { id } }`, vars: thread,
			want: all("null", "visitor", "ok", "moderator", "ok", "admin", "ok", "token:READ_THREADS", "ok")},
		"Query.nodes": {doc: `query($t: ID!) { nodes(ids: [$t]) { id } }`, vars: thread, path: "nodes.0",
			want: all("null", "visitor", "ok", "moderator", "ok", "admin", "ok", "token:READ_THREADS", "ok")},
		"Query.viewer": {doc: `{ viewer { id } }`, want: all("ok", "anonymous", "null", "token:READ_THREADS", "null",
			"token:SEND_MESSAGES", "null", "token:MANAGE_PAGE", "null")},
		"Query.page": {doc: `query($h: String!) { page(handle: $h) { id } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"h": w.page.Handle} }, want: all("ok")},
		"Query.pages": {doc: `{ pages(first: 1) { totalCount } }`, want: all("ok")},

		// People by handle (issue 11).
		"Query.user": {doc: `query($h: String!) { user(handle: $h) { id } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"h": w.visitor.Handle} }, want: all("ok", "anonymous", "null")},

		// The team inbox (rules 35-38).
		"Mutation.addNote": {doc: `mutation($t: ID!) { addNote(input: {threadId: $t, body: "note"}) { note { id } } }`, vars: thread,
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", forbid, "moderator", "ok", "admin", "ok", "token:MANAGE_PAGE", "ok", "token:READ_THREADS", forbid)},
		"Mutation.setViewing": {doc: `mutation($t: ID!) { setViewing(input: {threadId: $t, viewing: true}) }`, vars: thread,
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", forbid, "moderator", "ok", "admin", "ok", "token:READ_THREADS", forbid)},
		"Mutation.reactToMessage": {doc: `mutation($m: ID!) { reactToMessage(input: {messageId: $m, emoji: "👍"}) { message { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"m": w.message} },
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", "ok", "moderator", "ok", "admin", "ok", "token:READ_THREADS", forbid)},
		"Mutation.removeReaction": {doc: `mutation($m: ID!) { removeReaction(input: {messageId: $m, emoji: "👍"}) { message { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"m": w.message} },
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", "ok", "moderator", "ok", "admin", "ok", "token:READ_THREADS", forbid)},
		"Mutation.editMessage": {doc: `mutation($m: ID!) { editMessage(input: {messageId: $m, body: "edited"}) { message { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"m": w.visitorMessage()} },
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", "ok", "moderator", forbid, "admin", forbid, "token:READ_THREADS", forbid)},
		"Mutation.unsendMessage": {doc: `mutation($m: ID!) { unsendMessage(input: {id: $m}) { message { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"m": w.visitorMessage()} },
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", "ok", "moderator", forbid, "admin", forbid, "token:READ_THREADS", forbid)},

		// Accounts.
		"Mutation.signUp": {doc: `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`,
			vars: func(w *world, _ string) apptest.Vars {
				h := w.fresh("new")
				return apptest.Vars{"i": apptest.Vars{"name": "N", "handle": h, "email": h + "@example.com", "password": "correct horse"}}
			}, want: all("ok")},
		"Mutation.logIn": {doc: `mutation($i: LogInInput!) { logIn(input: $i) { token } }`,
			vars: func(w *world, _ string) apptest.Vars { return creds(w.stranger.Email, "correct horse") }, want: all("ok")},
		"Mutation.logOut": {doc: `mutation { logOut }`,
			as: func(w *world, caller string) string {
				if u, ok := w.users[caller]; ok { // a session of its own, so the fixture's survives
					return w.s.Do("", logIn, creds(u.Email, "correct horse")).OK().String("logIn.token")
				}
				return w.token(caller)
			}, want: all("ok", "anonymous", unauth, "token:READ_THREADS", unauth, "token:SEND_MESSAGES", unauth, "token:MANAGE_PAGE", unauth)},

		// Pages.
		"Mutation.createPage": {doc: `mutation($i: CreatePageInput!) { createPage(input: $i) { page { id } } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"i": apptest.Vars{"name": "P", "handle": w.fresh("pg")}}
			},
			want: peopleOnly()},
		"Mutation.updatePage": {doc: `mutation($p: ID!) { updatePage(input: {pageId: $p, about: "x"}) { page { id } } }`, vars: page,
			want: all(forbid, "anonymous", unauth, "admin", "ok", "token:MANAGE_PAGE", "ok")},
		"Mutation.setPageRole": {doc: `mutation($p: ID!, $u: ID!) { setPageRole(input: {pageId: $p, userId: $u, role: ANALYST}) { page { id } } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"p": w.page.ID, "u": w.s.SignUp("hire").ID}
			}, want: all(forbid, "anonymous", unauth, "admin", "ok")},
		"Mutation.createAd": {doc: `mutation($p: ID!) { createAd(input: {pageId: $p, title: "x"}) { ad { id } } }`, vars: page,
			want: all(forbid, "anonymous", unauth, "admin", "ok", "token:MANAGE_PAGE", "ok")},

		// Messaging.
		"Mutation.sendMessageToPage": {doc: `mutation($p: ID!) { sendMessageToPage(input: {pageId: $p, body: "hey"}) { message { id } } }`, vars: page,
			want: peopleOnly()},
		"Mutation.sendMessage": {doc: `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "hey"}) { message { id } } }`, vars: thread,
			want: all("NOT_FOUND", "anonymous", unauth, "visitor", "ok", "moderator", "ok", "admin", "ok", "token:SEND_MESSAGES", "ok", "token:READ_THREADS", forbid)},
		"Mutation.replyPrivatelyToComment": {doc: `mutation($c: ID!) { replyPrivatelyToComment(input: {commentId: $c, body: "psst"}) { message { id } } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"c": w.s.Comment(w.visitor, w.post, w.fresh("c"))}
			},
			want: all(forbid, "anonymous", unauth, "moderator", "ok", "admin", "ok", "token:SEND_MESSAGES", "ok")},
		"Mutation.markThreadRead": {doc: `mutation($t: ID!) { markThreadRead(input: {threadId: $t}) { thread { id } } }`, vars: thread,
			want: all("NOT_FOUND", "visitor", "ok", "moderator", "ok", "admin", "ok", "token:READ_THREADS", forbid)},
		"Mutation.updateThread": {doc: `mutation($t: ID!) { updateThread(input: {threadId: $t, addLabels: ["x"]}) { thread { id } } }`, vars: thread,
			want: all("NOT_FOUND", "visitor", forbid, "moderator", "ok", "admin", "ok", "token:READ_THREADS", forbid)},
		"Mutation.setTyping": {doc: `mutation($t: ID!) { setTyping(input: {threadId: $t, typing: true}) }`, vars: thread,
			want: all("NOT_FOUND", "visitor", "ok", "moderator", "ok", "admin", "ok", "token:READ_THREADS", forbid)},

		// Blocks.
		"Mutation.blockPage": {doc: `mutation($p: ID!) { blockPage(input: {pageId: $p}) { page { id } } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"p": w.s.CreatePage(w.otherAdmin, w.fresh("blk")).ID}
			},
			want: peopleOnly()},
		"Mutation.unblockPage": {doc: `mutation($p: ID!) { unblockPage(input: {pageId: $p}) { page { id } } }`, vars: page,
			want: peopleOnly()},
		"Mutation.blockUser": {doc: `mutation($p: ID!, $u: ID!) { blockUser(input: {pageId: $p, userId: $u}) { page { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.page.ID, "u": w.s.SignUp("pest").ID} },
			want: staffOnly("ok")},
		"Mutation.unblockUser": {doc: `mutation($p: ID!, $u: ID!) { unblockUser(input: {pageId: $p, userId: $u}) { page { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.page.ID, "u": w.stranger.ID} },
			want: staffOnly("ok")},

		// Saved replies.
		"Mutation.createSavedReply": {doc: `mutation($p: ID!, $s: String!) { createSavedReply(input: {pageId: $p, shortcut: $s, title: "t", body: "b"}) { savedReply { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.page.ID, "s": w.fresh("s")} },
			want: staffOnly("ok")},
		"Mutation.updateSavedReply": {doc: `mutation($id: ID!) { updateSavedReply(input: {id: $id, title: "t2"}) { savedReply { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"id": w.savedReply} },
			want: hiddenStaffOnly()},
		"Mutation.deleteSavedReply": {doc: `mutation($id: ID!) { deleteSavedReply(input: {id: $id}) { deletedId } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"id": w.s.Do(w.owner.Token, `mutation($p: ID!, $s: String!) { createSavedReply(input: {pageId: $p, shortcut: $s, title: "t", body: "b"}) { savedReply { id } } }`,
					apptest.Vars{"p": w.page.ID, "s": w.fresh("d")}).OK().String("createSavedReply.savedReply.id")}
			}, want: hiddenStaffOnly()},

		// Wall and group chats.
		"Mutation.createPost": {doc: `mutation($p: ID!) { createPost(input: {pageId: $p, body: "b"}) { post { id } } }`, vars: page,
			want: staffOnly("ok")},
		"Mutation.createComment": {doc: `mutation($p: ID!) { createComment(input: {postId: $p, body: "b"}) { comment { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.post} },
			want: peopleOnly()},
		"Mutation.hideComment": {doc: `mutation($c: ID!) { hideComment(input: {commentId: $c, hidden: true}) { comment { id } } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"c": w.s.Comment(w.stranger, w.post, w.fresh("h"))}
			},
			want: staffOnly("ok")},
		"Mutation.joinGroupChat": {doc: `mutation($p: ID!) { joinGroupChat(input: {postId: $p}) { thread { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"p": w.chatPost} },
			want: peopleOnly()},
		"Mutation.leaveGroupChat": {doc: `mutation($t: ID!) { leaveGroupChat(input: {id: $t}) { thread { id } } }`,
			vars: func(w *world, caller string) apptest.Vars {
				if u, ok := w.users[caller]; ok && caller != "member" {
					w.s.Do(u.Token, joinGroup, apptest.Vars{"p": w.chatPost})
				}
				return apptest.Vars{"t": w.chat}
			},
			as: func(w *world, caller string) string {
				if caller == "member" { // leaving spends the membership: a stand-in member leaves
					m := w.s.SignUp("leaver")
					w.s.Do(m.Token, joinGroup, apptest.Vars{"p": w.chatPost}).OK()
					return m.Token
				}
				return w.token(caller)
			},
			want: all("ok", "anonymous", "NOT_FOUND", "token:READ_THREADS", forbid, "token:SEND_MESSAGES", "NOT_FOUND", "token:MANAGE_PAGE", "NOT_FOUND")},

		// Notifications.
		"Mutation.markNotificationsRead": {doc: `mutation { markNotificationsRead(input: {all: true}) }`,
			want: peopleOnly()},

		// Web Push (rule 32): the key is public; people register their own
		// devices and only the owner removes one.
		"Query.vapidPublicKey": {doc: `{ vapidPublicKey }`, want: all("ok")},
		"Mutation.registerPushSubscription": {doc: `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { pushSubscription { id } } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"i": pushDevice(w)} }, want: peopleOnly()},
		"Mutation.unregisterPushSubscription": {doc: `mutation($id: ID!) { unregisterPushSubscription(input: {id: $id}) { deletedId } }`,
			vars: func(w *world, _ string) apptest.Vars {
				id := w.s.Do(w.visitor.Token, `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { pushSubscription { id } } }`,
					apptest.Vars{"i": pushDevice(w)}).OK().String("registerPushSubscription.pushSubscription.id")
				return apptest.Vars{"id": id}
			},
			want: all("NOT_FOUND", "visitor", "ok", "anonymous", unauth, "token:READ_THREADS", forbid, "token:SEND_MESSAGES", forbid, "token:MANAGE_PAGE", forbid)},

		// Integrations: ADMIN people only.
		"Mutation.createWebhook": {doc: `mutation($p: ID!) { createWebhook(input: {pageId: $p, url: "https://93.184.216.34/hook", events: [MESSAGE_CREATED]}) { secret } }`, vars: page,
			want: all(forbid, "anonymous", unauth, "admin", "ok")},
		"Mutation.deleteWebhook": {doc: `mutation($id: ID!) { deleteWebhook(input: {id: $id}) { deletedId } }`,
			vars: func(w *world, _ string) apptest.Vars {
				return apptest.Vars{"id": w.s.Do(w.owner.Token, `mutation($p: ID!) { createWebhook(input: {pageId: $p, url: "https://93.184.216.34/hook", events: [MESSAGE_CREATED]}) { webhook { id } } }`,
					apptest.Vars{"p": w.page.ID}).OK().String("createWebhook.webhook.id")}
			}, want: all("NOT_FOUND", "admin", "ok")},
		// Standard Webhooks (rule 33): the same ADMINs.
		"Mutation.rotateWebhookSecret": {doc: `mutation($id: ID!) { rotateWebhookSecret(input: {id: $id}) { secret } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"id": w.webhook()} }, want: all("NOT_FOUND", "admin", "ok")},
		"Mutation.enableWebhook": {doc: `mutation($id: ID!) { enableWebhook(input: {id: $id}) { secret } }`,
			vars: func(w *world, _ string) apptest.Vars { return apptest.Vars{"id": w.webhook()} }, want: all("NOT_FOUND", "admin", "ok")},
		"Mutation.redeliverWebhookDelivery": {doc: `mutation($id: ID!) { redeliverWebhookDelivery(input: {id: $id}) { delivery { id } } }`,
			vars: func(w *world, _ string) apptest.Vars {
				hook := w.webhook()
				w.visitorMessage() // an event, so the webhook has a delivery
				d := w.s.Do(w.owner.Token, `query($h: ID!) { node(id: $h) { ... on Webhook { deliveries(first: 1) { edges { node { id } } } } } }`,
					apptest.Vars{"h": hook}).OK().String("node.deliveries.edges.0.node.id")
				return apptest.Vars{"id": d}
			}, want: all("NOT_FOUND", "admin", "ok")},
		"Mutation.createPageApiToken": {doc: `mutation($p: ID!) { createPageApiToken(input: {pageId: $p, name: "n", scopes: [READ_THREADS]}) { token } }`, vars: page,
			want: all(forbid, "anonymous", unauth, "admin", "ok")},
		"Mutation.revokePageApiToken": {doc: `mutation($id: ID!) { revokePageApiToken(input: {id: $id}) { deletedId } }`,
			vars: func(w *world, _ string) apptest.Vars {
				_, id := newToken(w.s, w.owner, w.page, "READ_THREADS")
				return apptest.Vars{"id": id}
			}, want: all("NOT_FOUND", "admin", "ok")},
	}
}

// pendingAuthz are contract operations whose row is still to be written.
// Keep it empty: an operation here is one whose authorization nobody
// checked end to end.
var pendingAuthz []string

func contractOperations(t *testing.T) []string {
	b, err := os.ReadFile("testdata/api.graphql")
	if err != nil {
		t.Fatal(err)
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "api.graphql", Input: string(b)})
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation, schema.Subscription} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				ops = append(ops, root.Name+"."+f.Name)
			}
		}
	}
	sort.Strings(ops)
	return ops
}

func TestAuthorizationMatrix(t *testing.T) {
	rows := authzRows()
	maps.Copy(rows, subscriptionRows())
	ops := contractOperations(t)
	for _, op := range ops {
		if _, ok := rows[op]; !ok && !slices.Contains(pendingAuthz, op) {
			t.Errorf("%s: the contract has it, the authorization matrix has no row for it", op)
		}
	}
	for op := range rows {
		if !slices.Contains(ops, op) {
			t.Errorf("%s: a row for an operation the contract does not have", op)
		}
	}
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		w := newWorld(t, s)
		sockets := map[string]*apptest.WS{} // one per caller kind, its subscriptions one at a time
		for _, op := range ops {
			row, ok := rows[op]
			if !ok {
				continue
			}
			field := op[strings.Index(op, ".")+1:]
			t.Run(op, func(t *testing.T) {
				for _, caller := range callerKinds {
					t.Run(caller, func(t *testing.T) {
						want, ok := row.want[caller]
						if !ok {
							want = row.want["*"]
						}
						if strings.HasPrefix(op, "Subscription.") {
							ws, ok := sockets[caller]
							if !ok {
								ws = s.Connect(apptest.TransportWS, w.token(caller))
								sockets[caller] = ws
							}
							if got := subscriptionOutcome(t, w, ws, op, row, caller); got != want {
								t.Errorf("%s as %s: got %s, want %s", op, caller, got, want)
							}
							return
						}
						var vars apptest.Vars
						if row.vars != nil {
							vars = row.vars(w, caller)
						}
						token := w.token(caller)
						if row.as != nil {
							token = row.as(w, caller)
						}
						r := s.Do(token, row.doc, vars)
						path := field
						if row.path != "" {
							path = row.path
						}
						if got := outcome(r, path); got != want {
							t.Errorf("%s as %s: got %s, want %s (%s)", op, caller, got, want, r.Raw)
						}
					})
				}
			})
		}
	})
}

// pushDevice is a new browser's push subscription: a public https
// endpoint and a real P-256 key.
func pushDevice(w *world) apptest.Vars {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	return apptest.Vars{"endpoint": "https://93.184.216.34/push/" + w.fresh("dev"),
		"p256dh": base64.RawURLEncoding.EncodeToString(priv.PublicKey().Bytes()),
		"auth":   base64.RawURLEncoding.EncodeToString(auth)}
}
