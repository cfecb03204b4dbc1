package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"pageinbox/internal/apptest"
)

const threadQuery = `query($id: ID!) { node(id: $id) { ... on Thread {
	id kind snippet unreadCount canReply visitorLastReadAt pageLastReadAt
	visitor { id } page { id }
	messages(first: 100) { totalCount edges { node { seq body senderType sender { id } } } }
} } }`

func TestVisitorWritesToAnyPageAndReusesTheThread(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "acme")

		first := s.SendToPage(visitor, page, "hi, do you ship to Oslo?").OK()
		second := s.SendToPage(visitor, page, "and to Bergen?").OK()
		thread := first.String("sendMessageToPage.thread.id")
		if second.String("sendMessageToPage.thread.id") != thread {
			t.Fatalf("one DIRECT thread per (page, visitor): %s vs %s", first.Raw, second.Raw)
		}
		if first.Int("sendMessageToPage.message.seq") != 1 || second.Int("sendMessageToPage.message.seq") != 2 {
			t.Fatalf("seq must be 1, 2: %s %s", first.Raw, second.Raw)
		}
		if got := first.String("sendMessageToPage.message.senderType"); got != "VISITOR" {
			t.Fatalf("senderType %s", got)
		}

		// The visitor's view.
		r := s.Do(visitor.Token, threadQuery, apptest.Vars{"id": thread}).OK()
		if r.String("node.kind") != "DIRECT" || r.String("node.visitor.id") != visitor.ID || r.String("node.page.id") != page.ID {
			t.Fatalf("thread: %s", r.Raw)
		}
		if r.String("node.snippet") != "and to Bergen?" || r.Int("node.unreadCount") != 0 {
			t.Fatalf("snippet/unread for the visitor: %s", r.Raw)
		}
		if r.Bool("node.canReply") != true {
			t.Fatalf("the visitor can write: %s", r.Raw)
		}
		// The page's view: two unread.
		r = s.Do(owner.Token, threadQuery, apptest.Vars{"id": thread}).OK()
		if r.Int("node.unreadCount") != 2 || !r.Bool("node.canReply") {
			t.Fatalf("page side: %s", r.Raw)
		}
		// A second visitor gets their own thread.
		other := s.SignUp("other")
		if s.SendToPage(other, page, "hello").OK().String("sendMessageToPage.thread.id") == thread {
			t.Fatal("another visitor must get another thread")
		}
	})
}

func TestPageRepliesOnlyInVisitorThreadsAndSenderIsStaffOnly(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("shop")
		reply := s.SendIn(c.Owner, c.ThreadID, "Yes we do!").OK()
		if reply.String("sendMessage.message.senderType") != "PAGE" || reply.Int("sendMessage.message.seq") != 2 {
			t.Fatalf("reply: %s", reply.Raw)
		}
		q := `query($id: ID!) { node(id: $id) { ... on Thread { messages { edges { node { seq senderType sender { id } page { id } } } } } } }`
		staff := s.Do(c.Owner.Token, q, apptest.Vars{"id": c.ThreadID}).OK()
		if staff.String("node.messages.edges.1.node.sender.id") != c.Owner.ID {
			t.Fatalf("staff see which staff member answered: %s", staff.Raw)
		}
		visitor := s.Do(c.Visitor.Token, q, apptest.Vars{"id": c.ThreadID}).OK()
		if !visitor.Null("node.messages.edges.1.node.sender") {
			t.Fatalf("the visitor must not see which staff member answered: %s", visitor.Raw)
		}
		if visitor.String("node.messages.edges.1.node.page.id") != c.Page.ID {
			t.Fatalf("page messages name the page: %s", visitor.Raw)
		}
		if visitor.String("node.messages.edges.0.node.sender.id") != c.Visitor.ID {
			t.Fatalf("visitor messages name the visitor: %s", visitor.Raw)
		}
	})
}

func TestSeqHasNoGapsUnderConcurrentSenders(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("busy")
		const perSide = 15
		var wg sync.WaitGroup
		errs := make(chan string, 2*perSide)
		for i := range perSide {
			wg.Add(2)
			go func() {
				defer wg.Done()
				if r := s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("v%d", i)); len(r.Errors) > 0 {
					errs <- string(r.Raw)
				}
			}()
			go func() {
				defer wg.Done()
				if r := s.SendIn(c.Owner, c.ThreadID, fmt.Sprintf("p%d", i)); len(r.Errors) > 0 {
					errs <- string(r.Raw)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Errorf("send failed: %s", e)
		}
		r := s.Do(c.Owner.Token, threadQuery, apptest.Vars{"id": c.ThreadID}).OK()
		n := r.Int("node.messages.totalCount")
		if n != 1+2*perSide {
			t.Fatalf("want %d messages, got %d", 1+2*perSide, n)
		}
		for i := range n {
			if got := r.Int(fmt.Sprintf("node.messages.edges.%d.node.seq", i)); got != i+1 {
				t.Fatalf("message %d has seq %d: seq must be 1..N in order", i, got)
			}
		}
	})
}

func TestClientMessageIDIsIdempotent(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "idem")
		send := func(key, body string) *apptest.Response {
			return s.Do(visitor.Token, `mutation($i: SendMessageToPageInput!) {
				sendMessageToPage(input: $i) { message { id seq body clientMessageId } } }`,
				apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "body": body, "clientMessageId": key}})
		}
		// Concurrent retries of the very first message (which also creates
		// the thread) produce one message.
		const retries = 8
		ids := make(chan string, retries)
		var wg sync.WaitGroup
		for range retries {
			wg.Go(func() { ids <- send("key-1", "first").OK().String("sendMessageToPage.message.id") })
		}
		wg.Wait()
		close(ids)
		var first string
		for id := range ids {
			if first == "" {
				first = id
			} else if id != first {
				t.Fatalf("retries returned different messages: %s and %s", first, id)
			}
		}
		// A retry with a different body still returns the first message.
		again := send("key-1", "changed body").OK()
		if again.String("sendMessageToPage.message.id") != first || again.String("sendMessageToPage.message.body") != "first" {
			t.Fatalf("retry must return the first message: %s", again.Raw)
		}
		// A new key makes a new message.
		if send("key-2", "second").OK().Int("sendMessageToPage.message.seq") != 2 {
			t.Fatal("a new key is a new message with the next seq")
		}
		// After 24 hours the key may be reused.
		s.Clock.Advance(24*60*60*1e9 + 1)
		if got := send("key-1", "a day later").OK(); got.String("sendMessageToPage.message.id") == first {
			t.Fatalf("after 24h the key starts a new message: %s", got.Raw)
		}
		// Another sender's identical key is theirs alone.
		other := s.SignUp("other")
		r := s.Do(other.Token, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { id body } } }`,
			apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "body": "mine", "clientMessageId": "key-1"}}).OK()
		if r.String("sendMessageToPage.message.body") != "mine" {
			t.Fatalf("keys are per sender: %s", r.Raw)
		}
	})
}

func TestMessageLimitsStoreNothing(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "limits")
		send := func(body string, atts []apptest.Vars) *apptest.Response {
			in := apptest.Vars{"pageId": page.ID, "body": body}
			if atts != nil {
				in["attachments"] = atts
			}
			return s.Do(visitor.Token, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { seq body attachments { type url title } } } }`,
				apptest.Vars{"i": in})
		}
		link := func(url string) apptest.Vars { return apptest.Vars{"type": "LINK", "url": url} }
		many := make([]apptest.Vars, 11)
		for i := range many {
			many[i] = link("https://example.com/" + fmt.Sprint(i))
		}
		cases := []struct {
			name, body string
			atts       []apptest.Vars
			code       string
		}{
			{"empty body", "", nil, "BAD_USER_INPUT"},
			{"blank body", "  \n ", nil, "BAD_USER_INPUT"},
			{"10,001 characters", strings.Repeat("ß", 10_001), nil, "LIMIT_EXCEEDED"},
			{"11 attachments", "x", many, "LIMIT_EXCEEDED"},
			{"ftp link", "x", []apptest.Vars{link("ftp://example.com/f")}, "BAD_USER_INPUT"},
			{"relative link", "x", []apptest.Vars{link("/etc/passwd")}, "BAD_USER_INPUT"},
			{"long link", "x", []apptest.Vars{link("https://example.com/" + strings.Repeat("a", 2048))}, "LIMIT_EXCEEDED"},
			{"link without url", "x", []apptest.Vars{{"type": "LINK"}}, "BAD_USER_INPUT"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := send(c.body, c.atts).Code(); got != c.code {
					t.Errorf("want %s, got %q", c.code, got)
				}
			})
		}
		// Nothing was stored: the visitor has no thread yet.
		if !s.Do(visitor.Token, `query($h: String!) { page(handle: $h) { viewerThread { id } } }`, apptest.Vars{"h": page.Handle}).OK().Null("page.viewerThread") {
			t.Fatal("rejected messages must not create a thread")
		}
		// 10,000 multi-byte characters are accepted, and so are 10 links
		// with an empty body.
		if send(strings.Repeat("ß", 10_000), nil).OK().Int("sendMessageToPage.message.seq") != 1 {
			t.Fatal("10,000 characters must be accepted")
		}
		r := send("", many[:10]).OK()
		if r.Len("sendMessageToPage.message.attachments") != 10 || r.String("sendMessageToPage.message.attachments.0.type") != "LINK" {
			t.Fatalf("attachments: %s", r.Raw)
		}
	})
}

func TestUnreadCountsAndReadMarks(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("reads")
		s.SendToPage(c.Visitor, c.Page, "second").OK()
		counts := `query($h: String!, $id: ID!) {
			page(handle: $h) { unreadThreadCount }
			viewer { unreadThreadCount }
			node(id: $id) { ... on Thread { unreadCount visitorLastReadAt pageLastReadAt } } }`
		vars := apptest.Vars{"h": c.Page.Handle, "id": c.ThreadID}
		r := s.Do(c.Owner.Token, counts, vars).OK()
		if r.Int("page.unreadThreadCount") != 1 || r.Int("node.unreadCount") != 2 || !r.Null("node.pageLastReadAt") {
			t.Fatalf("before reading: %s", r.Raw)
		}
		s.Clock.Advance(60e9)
		s.Do(c.Owner.Token, `mutation($id: ID!) { markThreadRead(input: {threadId: $id}) { thread { unreadCount pageLastReadAt } } }`,
			apptest.Vars{"id": c.ThreadID}).OK()
		r = s.Do(c.Owner.Token, counts, vars).OK()
		if r.Int("page.unreadThreadCount") != 0 || r.Int("node.unreadCount") != 0 || r.Null("node.pageLastReadAt") {
			t.Fatalf("after reading: %s", r.Raw)
		}
		// The visitor sees "Seen" and has two unread page replies.
		s.SendIn(c.Owner, c.ThreadID, "one").OK()
		s.SendIn(c.Owner, c.ThreadID, "two").OK()
		r = s.Do(c.Visitor.Token, counts, vars).OK()
		if r.Null("node.pageLastReadAt") || r.Int("node.unreadCount") != 2 || r.Int("viewer.unreadThreadCount") != 1 {
			t.Fatalf("visitor before reading: %s", r.Raw)
		}
		if !r.Null("page.unreadThreadCount") {
			t.Fatalf("a visitor must not see the page's unread count: %s", r.Raw)
		}
		s.Do(c.Visitor.Token, `mutation($id: ID!) { markThreadRead(input: {threadId: $id}) { thread { id } } }`, apptest.Vars{"id": c.ThreadID}).OK()
		r = s.Do(c.Visitor.Token, counts, vars).OK()
		if r.Int("node.unreadCount") != 0 || r.Int("viewer.unreadThreadCount") != 0 || r.Null("node.visitorLastReadAt") {
			t.Fatalf("visitor after reading: %s", r.Raw)
		}
	})
}

func TestSnippetIsBounded(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("snip")
		s.SendToPage(c.Visitor, c.Page, strings.Repeat("word ", 100)+"\nend").OK()
		r := s.Do(c.Owner.Token, threadQuery, apptest.Vars{"id": c.ThreadID}).OK()
		snip := r.String("node.snippet")
		if n := len([]rune(snip)); n > 120 || n < 100 || strings.Contains(snip, "\n") {
			t.Fatalf("snippet must be one line of at most 120 characters, got %d: %q", n, snip)
		}
	})
}
