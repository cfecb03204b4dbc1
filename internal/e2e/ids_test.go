package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
)

// TestNodeIsNullWithoutErrorForMissingAndHiddenIDs is rule 28: node and
// nodes answer null, with no error, for ids that do not exist or that the
// viewer may not see; a malformed id is BAD_USER_INPUT in plain words.
func TestNodeIsNullWithoutErrorForMissingAndHiddenIDs(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("rule28")
		stranger := s.SignUp("stranger")
		gone := apptest.UnusedID(t, c.ThreadID)

		q := `query($a: ID!, $b: ID!, $p: ID!) { a: node(id: $a) { id } b: node(id: $b) { id }
			list: nodes(ids: [$p, $a, $b]) { id } page: node(id: $p) { ... on Page { name } } }`
		r := s.Do(stranger.Token, q, apptest.Vars{"a": c.ThreadID, "b": gone, "p": c.Page.ID})
		if len(r.Errors) != 0 {
			t.Fatalf("hidden and missing ids must not add errors (clients drop the data): %s", r.Raw)
		}
		if !r.Null("a") || !r.Null("b") || !r.Null("list.1") || !r.Null("list.2") {
			t.Fatalf("a hidden or missing node is not null: %s", r.Raw)
		}
		if r.String("list.0.id") != c.Page.ID || r.String("page.name") == "" {
			t.Fatalf("the visible node beside them is lost: %s", r.Raw)
		}

		// Malformed ids: BAD_USER_INPUT, a message for people, no Go internals.
		raw := strconv.Itoa(apptest.RowID(t, c.ThreadID)) // the old decimal form
		for _, bad := range []any{"not-an-id", raw, "", "VXNlcjox", 12} {
			r := s.Do(c.Owner.Token, `query($id: ID!) { node(id: $id) { id } }`, apptest.Vars{"id": bad}).WantCode("BAD_USER_INPUT")
			msg := r.Errors[0].Message
			if strings.Contains(msg, "strconv") || strings.Contains(msg, "parsing") || strings.Contains(msg, "Atoi") || !strings.Contains(msg, "id") {
				t.Errorf("id %v: message %q", bad, msg)
			}
		}
		s.Do(c.Owner.Token, `{ node(id: "not-an-id") { id } }`, nil).WantCode("BAD_USER_INPUT")
		s.Do(c.Owner.Token, `mutation { sendMessage(input: {threadId: "abc", body: "x"}) { message { id } } }`, nil).WantCode("BAD_USER_INPUT")
		// Mutations on a well-formed id of nothing: NOT_FOUND, as before.
		s.Do(c.Owner.Token, `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "x"}) { message { id } } }`,
			apptest.Vars{"t": gone}).WantCode("NOT_FOUND")
		// The server keeps serving.
		s.Do(c.Owner.Token, `{ viewer { id } }`, nil).OK()
	})
}

// TestIDsAreOpaque: ids do not show the integers behind them (which
// reveal type ranges and invite walking), and every id the API hands out
// reads back.
func TestIDsAreOpaque(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("opaque")
		msg := s.SendIn(c.Owner, c.ThreadID, "hi").OK().String("sendMessage.message.id")
		opaque := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
		for what, id := range map[string]string{"user": c.Visitor.ID, "page": c.Page.ID, "thread": c.ThreadID, "message": msg} {
			if !opaque.MatchString(id) || regexp.MustCompile(`^[0-9]+$`).MatchString(id) {
				t.Errorf("%s id %q is not opaque", what, id)
			}
			back := s.Do(c.Owner.Token, `query($id: ID!) { node(id: $id) { id } }`, apptest.Vars{"id": id}).OK()
			if back.String("node.id") != id {
				t.Errorf("%s id %q does not read back: %s", what, id, back.Raw)
			}
		}
		// An id of one type cannot be passed off as another.
		s.Do(c.Owner.Token, `mutation($t: ID!) { markThreadRead(input: {threadId: $t}) { thread { id } } }`,
			apptest.Vars{"t": msg}).WantCode("NOT_FOUND")
	})
}

// TestAnonymousCallersCannotWalkTheUserDirectory is rule 28's last
// sentence: node and nodes answer null for every person when nobody signed
// in, so guessing ids lists nobody.
func TestAnonymousCallersCannotWalkTheUserDirectory(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		ann := s.SignUp("ann")
		bob := s.SignUp("bob")
		q := `query($a: ID!, $b: ID!) { a: node(id: $a) { ... on User { name } } list: nodes(ids: [$a, $b]) { ... on User { name } } }`
		r := s.Do("", q, apptest.Vars{"a": ann.ID, "b": bob.ID})
		if len(r.Errors) != 0 || !r.Null("a") || !r.Null("list.0") || !r.Null("list.1") {
			t.Fatalf("an anonymous caller reads people by id: %s", r.Raw)
		}
		// Signed-in callers still resolve people they meet in the product.
		r = s.Do(bob.Token, q, apptest.Vars{"a": ann.ID, "b": bob.ID}).OK()
		if r.String("a.name") != "ann" || r.String("list.1.name") != "bob" {
			t.Fatalf("a signed-in caller must see people: %s", r.Raw)
		}
	})
}

// TestUserByHandle: Query.user(handle:) finds a person to add as staff;
// signed-in callers only, null (no error) for unknown handles and for
// anonymous callers.
func TestUserByHandle(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "byhandle")
		carol := s.SignUp("carol")
		q := `query($h: String!) { user(handle: $h) { id name handle } }`

		r := s.Do(owner.Token, q, apptest.Vars{"h": strings.ToUpper(carol.Handle)}).OK()
		if r.String("user.id") != carol.ID || r.String("user.handle") != carol.Handle {
			t.Fatalf("handle lookup (case-insensitive): %s", r.Raw)
		}
		if r := s.Do(owner.Token, q, apptest.Vars{"h": "nobody_here"}).OK(); !r.Null("user") {
			t.Fatalf("unknown handle: %s", r.Raw)
		}
		if r := s.Do("", q, apptest.Vars{"h": carol.Handle}).OK(); !r.Null("user") {
			t.Fatalf("anonymous lookup: %s", r.Raw)
		}
		// What it is for: adding staff by handle.
		found := apptest.User{ID: r.String("user.id")}
		s.SetRole(owner, page, found, "MODERATOR").OK()
		if role := s.Do(carol.Token, `query($h: String!) { page(handle: $h) { viewerRole } }`, apptest.Vars{"h": page.Handle}).OK().
			String("page.viewerRole"); role != "MODERATOR" {
			t.Fatalf("carol's role: %q", role)
		}
	})
}
