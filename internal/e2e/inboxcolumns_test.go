package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// threadFields is every Thread field an inbox list reads from the thread
// row, with the edges it loads by foreign key.
const threadFields = `id kind title createdAt lastMessageAt snippet visitorLastReadAt pageLastReadAt
	unreadCount replyWindowEndsAt status labels priority snoozedUntil waitingSince
	assignee { id } visitor { id name } page { id } lastMessage { id body }`

// TestInboxListAnswersAsTheThreadItself: the staff inbox reads only the
// thread columns its fields need (graph/threadcolumns.go). Every field
// of every thread in the list must equal what the same thread answers on
// its own (node(id), which reads the whole row), for threads in every
// state: assigned, labelled, prioritised, snoozed, read and unread.
func TestInboxListAnswersAsTheThreadItself(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithReplyWindow(24*time.Hour))
		owner := s.SignUp("owner")
		page := s.CreatePage(owner, "columns")
		update := `mutation($i: UpdateThreadInput!) { updateThread(input: $i) { thread { id } } }`
		for i := range 5 {
			v := s.SignUp(fmt.Sprintf("visitor%d", i))
			th := s.SendToPage(v, page, fmt.Sprintf("question %d", i)).OK().String("sendMessageToPage.thread.id")
			switch i {
			case 1:
				s.Do(owner.Token, update, apptest.Vars{"i": apptest.Vars{"threadId": th, "assigneeId": owner.ID, "addLabels": []string{"vip", "billing"}}}).OK()
			case 2:
				s.Do(owner.Token, update, apptest.Vars{"i": apptest.Vars{"threadId": th, "priority": "URGENT"}}).OK()
			case 3:
				s.Do(owner.Token, update, apptest.Vars{"i": apptest.Vars{"threadId": th, "snoozedUntil": s.Clock.Now().Add(time.Hour)}}).OK()
			case 4:
				s.SendIn(owner, th, "an answer").OK()
			}
		}
		for _, sort := range []string{"LAST_MESSAGE_AT", "PRIORITY"} {
			list := s.Do(owner.Token, `query($p: ID!, $s: ThreadSort!) { node(id: $p) { ... on Page { threads(first: 50, filter: {sort: $s}) { edges { node { `+threadFields+` } } } } } }`,
				apptest.Vars{"p": page.ID, "s": sort}).OK()
			n := list.Len("node.threads.edges")
			if n != 5 {
				t.Fatalf("%s: want 5 threads: %s", sort, list.Raw)
			}
			for i := range n {
				inList, _ := json.Marshal(list.Get(fmt.Sprintf("node.threads.edges.%d.node", i)))
				id := list.String(fmt.Sprintf("node.threads.edges.%d.node.id", i))
				alone := s.Do(owner.Token, `query($t: ID!) { node(id: $t) { ... on Thread { `+threadFields+` } } }`, apptest.Vars{"t": id}).OK()
				own, _ := json.Marshal(alone.Get("node"))
				if string(inList) != string(own) {
					t.Fatalf("%s: thread %s in the list:\n%s\non its own:\n%s", sort, id, inList, own)
				}
			}
		}
	})
}
