package e2e

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

// TestSlowConsumerNeverStallsPublishersOrOthers is rule 25: a subscriber
// that stops reading gets its socket closed (write deadline) while senders
// and the other subscribers carry on at full speed, missing nothing.
func TestSlowConsumerNeverStallsPublishersOrOthers(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		// The write deadline is far above what one send takes on a loaded
		// CI machine, so a send held up by the slow reader stands out.
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) { c.WebsocketWriteTimeout = 2 * time.Second }))
		c := s.StartConversation("slow")

		// The slow client subscribes and then never reads again.
		slow := s.DialWS(apptest.TransportWS)
		slow.Init(c.Visitor.Token)
		if m := slow.RawNext(t, wait); m.Type != "connection_ack" {
			t.Fatalf("ack: %+v", m)
		}
		slow.Subscribe("s", messageAdded, apptest.Vars{"t": c.ThreadID})
		fast := s.Connect(apptest.TransportWS, c.Owner.Token)
		fast.Subscribe("f", messageAdded, apptest.Vars{"t": c.ThreadID, "after": 1})
		s.WaitSubscribers(2)

		// Large messages (36 KB of 4-byte characters each) fill the slow
		// client's socket buffers quickly.
		body := strings.Repeat("😀", 9_000)
		const n = 300
		start := time.Now()
		var slowest time.Duration
		for i := range n {
			t0 := time.Now()
			s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("%d %s", i, body)).OK()
			slowest = max(slowest, time.Since(t0))
		}
		elapsed := time.Since(start)
		// The reading subscriber got every message, in order.
		for want := 2; want <= n+1; want++ {
			if got := fast.Data("f", wait).Int("messageAdded.seq"); got != want {
				t.Fatalf("fast subscriber: want seq %d, got %d", want, got)
			}
		}
		// No send waited for the slow reader (the write deadline alone is
		// 2 s; a blocked publisher would wait at least that long).
		if slowest > 1500*time.Millisecond {
			t.Errorf("a send took %s while a subscriber was not reading", slowest)
		}
		t.Logf("%s: %d sends in %s, slowest %s", b, n, elapsed, slowest)
		// The server gave up on the slow client.
		apptest.Eventually(t, 10*time.Second, func() error {
			if s.Server.OpenWebsockets() > 1 {
				return errors.New("the non-reading websocket is still open")
			}
			return nil
		})
	})
}

// TestSlowSubscriberNeverHoldsUpASharedRendering is rule 25 where one
// rendering serves many subscribers (internal/api/share.go): staff with
// the same document and role share the first one's rendering, and that
// first one may be a subscriber that stopped reading. The others must get
// each message without waiting on its socket.
func TestSlowSubscriberNeverHoldsUpASharedRendering(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) { c.WebsocketWriteTimeout = 3 * time.Second }))
		c := s.StartConversation("sharedslow")
		const q = `subscription($t: ID!) { messageAdded(threadId: $t) { seq body } }`
		// Several moderators stop reading, so one of them is likely the
		// one rendering for all when its socket fills up.
		const slowOnes = 4
		for i := range slowOnes {
			mod := s.SignUp(fmt.Sprintf("slowmod%d", i))
			s.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
			slow := s.DialWS(apptest.TransportWS)
			slow.Init(mod.Token)
			if m := slow.RawNext(t, wait); m.Type != "connection_ack" {
				t.Fatalf("ack: %+v", m)
			}
			slow.Subscribe("s", q, apptest.Vars{"t": c.ThreadID})
		}
		reader := s.SignUp("reader")
		s.SetRole(c.Owner, c.Page, reader, "MODERATOR").OK()
		fast := s.Connect(apptest.TransportWS, reader.Token)
		fast.Subscribe("f", q, apptest.Vars{"t": c.ThreadID})
		s.WaitSubscribers(slowOnes + 1)

		body := strings.Repeat("😀", 9_000)
		var slowest time.Duration
		for i := range 150 {
			t0 := time.Now()
			seq := s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("%d %s", i, body)).OK().Int("sendMessageToPage.message.seq")
			if got := fast.Data("f", wait).Int("messageAdded.seq"); got != seq {
				t.Fatalf("reading moderator: want seq %d, got %d", seq, got)
			}
			slowest = max(slowest, time.Since(t0))
		}
		// A reader held up by a stuck socket would wait for the write
		// timeout (3 s) before that socket is given up.
		if slowest > 1500*time.Millisecond {
			t.Errorf("a message took %s to reach the reading moderator", slowest)
		}
		t.Logf("%s: slowest message %s", b, slowest)
	})
}
