package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const createToken = `mutation($i: CreatePageApiTokenInput!) { createPageApiToken(input: $i) { token apiToken { id name scopes lastUsedAt revokedAt } } }`

func newToken(s *apptest.Server, admin apptest.User, page apptest.Page, scopes ...string) (token, id string) {
	r := s.Do(admin.Token, createToken, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "name": "crm", "scopes": scopes}}).OK()
	return r.String("createPageApiToken.token"), r.String("createPageApiToken.apiToken.id")
}

// TestPageAPITokensActAsThePageWithinTheirScopes is rule 3.
func TestPageAPITokensActAsThePageWithinTheirScopes(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("tokens")
		mod := s.SignUp("mod")
		s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
		s.Do(mod.Token, createToken, apptest.Vars{"i": apptest.Vars{"pageId": c.Page.ID, "name": "x", "scopes": []string{"READ_THREADS"}}}).WantCode("FORBIDDEN")

		read, _ := newToken(s, c.Owner, c.Page, "READ_THREADS")
		send, _ := newToken(s, c.Owner, c.Page, "SEND_MESSAGES")
		manage, manageID := newToken(s, c.Owner, c.Page, "MANAGE_PAGE")
		all, allID := newToken(s, c.Owner, c.Page, "READ_THREADS", "SEND_MESSAGES", "MANAGE_PAGE")

		// READ_THREADS reads the inbox; without it, the inbox is null.
		inbox := `query($h: String!) { viewer { id } page(handle: $h) { threads { totalCount } viewerRole } }`
		r := s.Do(read, inbox, apptest.Vars{"h": c.Page.Handle}).OK()
		if r.Int("page.threads.totalCount") != 1 || !r.Null("viewer") || !r.Null("page.viewerRole") {
			t.Fatalf("READ_THREADS token: %s", r.Raw)
		}
		if !s.Do(send, inbox, apptest.Vars{"h": c.Page.Handle}).OK().Null("page.threads") {
			t.Fatal("a token without READ_THREADS must not read the inbox")
		}
		// SEND_MESSAGES sends as the page (no person behind it).
		msg := s.SendIn(apptest.User{Token: send}, c.ThreadID, "Hello from the CRM")
		msg.OK()
		if msg.String("sendMessage.message.senderType") != "PAGE" {
			t.Fatalf("token send: %s", msg.Raw)
		}
		s.SendIn(apptest.User{Token: read}, c.ThreadID, "no").WantCode("FORBIDDEN")
		// MANAGE_PAGE changes settings; the others may not.
		s.UpdatePage(manage, c.Page, apptest.Vars{"about": "Updated by the CRM"}).OK()
		s.UpdatePage(read, c.Page, apptest.Vars{"about": "no"}).WantCode("FORBIDDEN")
		// Tokens never manage tokens, roles or webhooks, and are not users.
		s.Do(all, createToken, apptest.Vars{"i": apptest.Vars{"pageId": c.Page.ID, "name": "x", "scopes": []string{"READ_THREADS"}}}).WantCode("FORBIDDEN")
		s.SetRole(apptest.User{Token: all}, c.Page, mod, "ADMIN").WantCode("FORBIDDEN")
		s.SendToPage(apptest.User{Token: all}, c.Page, "hi").WantCode("FORBIDDEN")

		// The admin lists tokens, never the secrets; use is recorded.
		list := `query($h: String!) { page(handle: $h) { apiTokens { id name scopes lastUsedAt revokedAt } } }`
		l := s.Do(c.Owner.Token, list, apptest.Vars{"h": c.Page.Handle}).OK()
		if l.Len("page.apiTokens") != 4 {
			t.Fatalf("tokens: %s", l.Raw)
		}
		for i := range 4 {
			if l.String("page.apiTokens."+itoa(i)+".id") == manageID && l.Null("page.apiTokens."+itoa(i)+".lastUsedAt") {
				t.Fatalf("lastUsedAt: %s", l.Raw)
			}
		}
		if !s.Do(mod.Token, list, apptest.Vars{"h": c.Page.Handle}).OK().Null("page.apiTokens") {
			t.Fatal("only ADMINs list tokens")
		}

		// Revocation: refused at once, and open subscriptions end.
		ws := s.Connect(apptest.TransportWS, all)
		ws.Subscribe("i", inboxEvents, apptest.Vars{"p": c.Page.ID})
		s.WaitSubscribers(1)
		rv := s.Do(c.Owner.Token, `mutation($id: ID!) { revokePageApiToken(input: {id: $id}) { deletedId } }`, apptest.Vars{"id": allID}).OK()
		if rv.String("revokePageApiToken.deletedId") != allID {
			t.Fatalf("revoke: %s", rv.Raw)
		}
		s.Do(all, inbox, apptest.Vars{"h": c.Page.Handle}).WantCode("UNAUTHENTICATED")
		if m := ws.Next(wait); m.Type != "error" || m.Errors()[0].Code() != "UNAUTHENTICATED" {
			t.Fatalf("subscription of a revoked token: %s %s", m.Type, m.Payload)
		}
		l = s.Do(c.Owner.Token, list, apptest.Vars{"h": c.Page.Handle}).OK()
		revoked := 0
		for i := range l.Len("page.apiTokens") {
			if !l.Null("page.apiTokens." + itoa(i) + ".revokedAt") {
				revoked++
			}
		}
		if revoked != 1 {
			t.Fatalf("revokedAt: %s", l.Raw)
		}
		s.Clock.Advance(time.Hour)
		s.Do(read, inbox, apptest.Vars{"h": c.Page.Handle}).OK() // the others still work
	})
}
