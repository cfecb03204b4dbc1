package e2e

import (
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

const pageState = `query($h: String!) { page(handle: $h) { acceptingMessages viewerCanMessage messagingEnabled awayMessage timeZone availability { weekday startMinute endMinute } } }`

// TestMessagingSwitch is rule 12's switch: off means MESSAGING_DISABLED for
// visitors, while staff still answer existing threads.
func TestMessagingSwitch(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("switch")
		s.UpdatePage(c.Owner.Token, c.Page, apptest.Vars{"messagingEnabled": false}).OK()
		r := s.Do(c.Visitor.Token, pageState, apptest.Vars{"h": c.Page.Handle}).OK()
		if r.Bool("page.acceptingMessages") || r.Bool("page.viewerCanMessage") || r.Bool("page.messagingEnabled") {
			t.Fatalf("switched off: %s", r.Raw)
		}
		s.SendToPage(c.Visitor, c.Page, "are you there?").WantCode("MESSAGING_DISABLED")
		s.SendIn(c.Visitor, c.ThreadID, "hello?").WantCode("MESSAGING_DISABLED")
		s.SendIn(c.Owner, c.ThreadID, "we are closed but here is your answer").OK()
		if s.Thread(c.Visitor.Token, c.ThreadID).OK().Bool("node.canReply") {
			t.Fatal("the visitor cannot reply while messaging is off")
		}
		s.UpdatePage(c.Owner.Token, c.Page, apptest.Vars{"messagingEnabled": true}).OK()
		s.SendIn(c.Visitor, c.ThreadID, "thanks").OK()
	})
}

// TestOpeningHoursInThePagesTimeZone: windows are evaluated in the page's
// IANA zone, end exclusive; the clock is set, never slept on.
func TestOpeningHoursInThePagesTimeZone(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "hours")
		weekdays := []apptest.Vars{}
		for d := 1; d <= 5; d++ {
			weekdays = append(weekdays, apptest.Vars{"weekday": d, "startMinute": 9 * 60, "endMinute": 17 * 60})
		}
		r := s.UpdatePage(owner.Token, page, apptest.Vars{"timeZone": "Asia/Tokyo", "availability": weekdays}).OK()
		if r.String("updatePage.page.timeZone") != "Asia/Tokyo" {
			t.Fatalf("update: %s", r.Raw)
		}
		tokyo, _ := time.LoadLocation("Asia/Tokyo")
		cases := []struct {
			at   time.Time
			open bool
		}{
			{time.Date(2026, 11, 2, 9, 0, 0, 0, tokyo), true},     // Monday 09:00 Tokyo
			{time.Date(2026, 11, 2, 16, 59, 0, 0, tokyo), true},   // just before closing
			{time.Date(2026, 11, 2, 17, 0, 0, 0, tokyo), false},   // end is exclusive
			{time.Date(2026, 11, 7, 12, 0, 0, 0, tokyo), false},   // Saturday
			{time.Date(2026, 11, 3, 0, 30, 0, 0, time.UTC), true}, // Tuesday 09:30 in Tokyo
		}
		for _, tc := range cases {
			t.Run(tc.at.Format(time.RFC3339), func(t *testing.T) {
				s.Clock.Set(tc.at)
				r := s.Do(visitor.Token, pageState, apptest.Vars{"h": page.Handle}).OK()
				if r.Bool("page.acceptingMessages") != tc.open || r.Bool("page.viewerCanMessage") != tc.open {
					t.Errorf("acceptingMessages %v, want %v", r.Bool("page.acceptingMessages"), tc.open)
				}
				send := s.SendToPage(visitor, page, "hi")
				if tc.open && len(send.Errors) > 0 || !tc.open && send.Code() != "MESSAGING_DISABLED" {
					t.Errorf("send %s", send.Raw)
				}
			})
		}
		s.UpdatePage(owner.Token, page, apptest.Vars{"timeZone": "Not/AZone"}).WantCode("BAD_USER_INPUT")
		s.UpdatePage(owner.Token, page, apptest.Vars{"availability": []apptest.Vars{{"weekday": 7, "startMinute": 0, "endMinute": 60}}}).WantCode("BAD_USER_INPUT")
	})
}

// TestAwayMessageOncePerBurst: outside hours with an away message, the
// visitor's messages are accepted and the away message comes back once per
// burst (a human page reply ends the burst).
func TestAwayMessageOncePerBurst(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "away")
		s.UpdatePage(owner.Token, page, apptest.Vars{"messagingEnabled": false, "awayMessage": "We're away until Monday."}).OK()
		r := s.Do(visitor.Token, pageState, apptest.Vars{"h": page.Handle}).OK()
		if r.Bool("page.acceptingMessages") || !r.Bool("page.viewerCanMessage") || r.String("page.awayMessage") != "We're away until Monday." {
			t.Fatalf("away page: %s", r.Raw)
		}
		thread := s.SendToPage(visitor, page, "first").OK().String("sendMessageToPage.thread.id")
		s.SendToPage(visitor, page, "second").OK()
		th := s.Thread(visitor.Token, thread).OK()
		types := senderTypes(th)
		if want := "VISITOR SYSTEM VISITOR"; types != want {
			t.Fatalf("first burst: %s, want %s", types, want)
		}
		if th.String("node.messages.edges.1.node.body") != "We're away until Monday." || !th.Null("node.messages.edges.1.node.sender") {
			t.Fatalf("away message: %s", th.Raw)
		}
		// Staff answer; the visitor's next message starts a new burst.
		s.SendIn(owner, thread, "Back early!").OK()
		s.SendToPage(visitor, page, "great").OK()
		if got := senderTypes(s.Thread(visitor.Token, thread).OK()); got != "VISITOR SYSTEM VISITOR PAGE VISITOR SYSTEM" {
			t.Fatalf("second burst: %s", got)
		}
		// Clearing the away message turns refusals back on.
		s.UpdatePage(owner.Token, page, apptest.Vars{"awayMessage": ""}).OK()
		s.SendToPage(visitor, page, "hello?").WantCode("MESSAGING_DISABLED")
	})
}

func senderTypes(r *apptest.Response) string {
	out := ""
	for i := range r.Len("node.messages.edges") {
		if i > 0 {
			out += " "
		}
		out += r.String("node.messages.edges." + itoa(i) + ".node.senderType")
	}
	return out
}
