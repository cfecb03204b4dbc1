package e2e

import (
	"testing"

	"pageinbox/internal/apptest"
)

func TestZZTrace(t *testing.T) {
	s := apptest.Start(t, apptest.Postgres)
	owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
	page := s.CreatePage(owner, "acme")
	s.SendToPage(visitor, page, "hi").OK()
	t.Log("----- second send")
	n := s.CountStatements(func() {
		s.Do(visitor.Token, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { message { seq } } }`, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "body": "again"}}).OK()
	})
	t.Log("statements", n)
}
