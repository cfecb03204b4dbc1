package e2e

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"pageinbox/internal/apptest"
)

// TestSlowReaderIsResynchronised: a subscriber that stops reading during a
// burst of large messages backs up until its (deliberately tiny) event
// buffer overflows; the publisher and the other subscriber never wait for
// it, and once it reads again it catches up from the database: every
// message, once, in order.
func TestSlowReaderIsResynchronised(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithEventBuffer(2))
		c := s.StartConversation("slowreader")
		slow := s.DialWS(apptest.TransportWS) // read by hand, later
		slow.Init(c.Visitor.Token)
		if m := slow.RawNext(t, wait); m.Type != "connection_ack" {
			t.Fatalf("ack: %+v", m)
		}
		slow.Subscribe("m", messageAdded, apptest.Vars{"t": c.ThreadID, "after": 1})
		fast := s.Connect(apptest.TransportWS, c.Owner.Token)
		fast.Subscribe("m", messageAdded, apptest.Vars{"t": c.ThreadID, "after": 1})
		s.WaitSubscribers(2)

		const n = 120
		body := strings.Repeat("😀", 9_000) // 36 KB: fills socket buffers fast
		for i := range n {
			s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("%d %s", i, body)).OK()
			// The fast reader keeps up, message by message.
			if got := fast.Data("m", wait).Int("messageAdded.seq"); got != i+2 {
				t.Fatalf("fast reader: want %d, got %d", i+2, got)
			}
		}
		if s.Broker.Dropped() == 0 {
			t.Fatal("the slow reader's buffer never overflowed; the test exercises nothing")
		}
		// Now the slow reader reads: everything, once, in order.
		for want := 2; want <= n+1; {
			m := slow.RawNext(t, wait)
			switch m.Type {
			case "ping":
				slow.Pong()
			case "next":
				if got := slow.DataFrom(m).Int("messageAdded.seq"); got != want {
					t.Fatalf("slow reader: want %d, got %d", want, got)
				}
				want++
			default:
				t.Fatalf("slow reader got %s %s", m.Type, m.Payload)
			}
		}
		t.Logf("%s: %d events overflowed; the slow reader caught up from the database", b, s.Broker.Dropped())
	})
}

// TestSubscriptionsLeaveNoGoroutinesBehind runs 1,000 subscribe /
// unsubscribe cycles.
func TestSubscriptionsLeaveNoGoroutinesBehind(t *testing.T) {
	// The backends run one after the other: goroutines are counted for the
	// whole process.
	for _, b := range []apptest.Backend{apptest.SQLite, apptest.Postgres} {
		t.Run(string(b), func(t *testing.T) { leakCycles(t, b) })
	}
}

func leakCycles(t *testing.T, b apptest.Backend) {
	s := apptest.Start(t, b)
	c := s.StartConversation("leaks")
	ws := s.Connect(apptest.TransportWS, c.Visitor.Token)
	// Warm up once, then count.
	ws.Subscribe("warm", messageAdded, apptest.Vars{"t": c.ThreadID, "after": 0})
	ws.Data("warm", wait)
	ws.Stop("warm")
	s.WaitSubscribers(0)
	before := runtime.NumGoroutine()
	for i := range 1000 {
		id := strconv.Itoa(i)
		ws.Subscribe(id, messageAdded, apptest.Vars{"t": c.ThreadID, "after": 0})
		if ws.Data(id, wait).Int("messageAdded.seq") != 1 {
			t.Fatal("replay")
		}
		ws.Stop(id)
	}
	s.WaitSubscribers(0)
	apptest.Eventually(t, 5*time.Second, func() error {
		if after := runtime.NumGoroutine(); after > before+2 {
			buf := make([]byte, 1<<20)
			return fmt.Errorf("goroutines: %d before, %d after 1,000 cycles\n%s", before, after, buf[:runtime.Stack(buf, true)])
		}
		return nil
	})
	t.Logf("%s: %d goroutines before, %d after 1,000 cycles", b, before, runtime.NumGoroutine())
}

// TestGracefulShutdown: in-flight mutations complete and websockets are
// closed with 1001 (going away).
func TestGracefulShutdown(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("shutdown")
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- s.App.Serve(ctx, ln) }()
		base := "http://" + ln.Addr().String() + "/query"

		ws := s.DialWS(apptest.TransportWS)
		ws.Start()
		ws.Init(c.Visitor.Token)
		ws.Next(wait) // ack (over the test server; the shutdown also closes it)

		// Hold the thread so the next send stays in flight.
		release := holdThread(t, s, c.ThreadID)
		sent := make(chan *http.Response, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, base,
				jsonBody(fmt.Sprintf(`{"query":"mutation { sendMessage(input: {threadId: \"%s\", body: \"in flight\"}) { message { seq } } }"}`, c.ThreadID)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+c.Owner.Token)
			res, err := http.DefaultClient.Do(req) //nolint:bodyclose // the receiver of sent closes it
			if err != nil {
				t.Errorf("in-flight request failed: %v", err)
				sent <- nil
				return
			}
			sent <- res
		}()
		apptest.Eventually(t, 5*time.Second, func() error {
			if s.Server.InFlight() < 1 {
				return errors.New("the send never started")
			}
			return nil
		})
		cancel() // SIGTERM
		select {
		case code := <-ws.Closed:
			if code != websocket.StatusGoingAway {
				t.Fatalf("websocket closed with %d, want 1001", code)
			}
		case <-time.After(wait):
			t.Fatal("websocket not closed on shutdown")
		}
		release()
		res := <-sent
		if res == nil || res.StatusCode != 200 {
			t.Fatalf("in-flight mutation: %v", res)
		}
		res.Body.Close()
		if err := <-served; err != nil {
			t.Fatalf("serve: %v", err)
		}
		if n := s.Thread(c.Owner.Token, c.ThreadID).OK().Int("node.messages.totalCount"); n != 2 {
			t.Fatalf("the in-flight message was not stored: %d messages", n)
		}
	})
}

// holdThread locks the thread's row (PostgreSQL) or the whole database
// (SQLite) from outside the server until release is called.
func holdThread(t *testing.T, s *apptest.Server, threadID string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := s.Store.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var tx *sql.Tx
	if s.Backend == apptest.Postgres {
		tx, err = conn.BeginTx(ctx, nil)
		if err == nil {
			_, err = tx.Exec(`SELECT id FROM threads WHERE id = $1 FOR UPDATE`, apptest.RowID(t, threadID))
		}
	} else {
		tx, err = conn.BeginTx(ctx, nil) // _txlock=immediate: the write lock
	}
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		_ = tx.Rollback()
		_ = conn.Close()
	}
}
