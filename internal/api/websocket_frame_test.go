package api

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// frameServer accepts one websocket the way the transport does and hands
// the test its frameConn and library connection.
func frameServer(t *testing.T) (client *websocket.Conn, conn *frameConn, server *websocket.Conn) {
	t.Helper()
	accepted := make(chan *websocket.Conn, 1)
	fc := &frameConn{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(smallBuffers{ResponseWriter: w, conn: fc}, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		accepted <- ws
	}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Body != nil { // nil after an upgrade
		_ = resp.Body.Close()
	}
	c.SetReadLimit(1 << 20)
	t.Cleanup(func() { _ = c.CloseNow() })
	s := <-accepted
	t.Cleanup(func() { _ = s.CloseNow() })
	return c, fc, s
}

// frame builds a frame buffer holding msg.
func frame(msg []byte) []byte { return append(make([]byte, frameRoom), msg...) }

// A real websocket client reads the frames the transport writes itself,
// at every length encoding (7-bit, 16-bit, 64-bit), in order with the
// library's own control frames.
func TestFramesWrittenBesideTheLibraryReachAClient(t *testing.T) {
	client, conn, server := frameServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sizes := []int{0, 1, 125, 126, 0xffff, 0x10000, 300_000}
	go func() {
		for _, n := range sizes {
			if err := conn.text(frame(bytes.Repeat([]byte{'a' + byte(n%26)}, n))); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	// The server's library reads (and so answers the client's ping) while
	// the client waits for its pong.
	go func() { _, _, _ = server.Read(ctx) }()
	for _, n := range sizes {
		typ, got, err := client.Read(ctx)
		if err != nil {
			t.Fatalf("message of %d bytes: %v", n, err)
		}
		if typ != websocket.MessageText || !bytes.Equal(got, bytes.Repeat([]byte{'a' + byte(n%26)}, n)) {
			t.Fatalf("message of %d bytes: got %v of %d bytes", n, typ, len(got))
		}
	}
	// A ping from the client is answered by the library through the
	// same socket: the pong arrives whole (Ping waits for it).
	go func() { _, _, _ = client.Read(ctx) }()
	if err := client.Ping(ctx); err != nil {
		t.Fatalf("ping: %v", err)
	}
}

// After the library sent its close frame, no message may follow it (RFC
// 6455 5.5.1): the transport's writes fail instead.
func TestNoMessageFollowsTheCloseFrame(t *testing.T) {
	client, conn, server := frameServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.text(frame([]byte("before"))); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		// Whatever Close reports once the client goes, the socket is gone.
		_ = server.Close(websocket.StatusGoingAway, "bye")
		close(closed)
	}()
	_, got, err := client.Read(ctx)
	if err != nil || string(got) != "before" {
		t.Fatalf("first message: %q, %v", got, err)
	}
	_, _, err = client.Read(ctx)
	if websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("want the close frame (1001), got %v", err)
	}
	if err := conn.text(frame([]byte("after"))); !errors.Is(err, errShut) {
		t.Fatalf("a message after the close frame: got %v, want errShut", err)
	}
	// The handshake ends when the client answers; it closes right after.
	_ = client.CloseNow()
	<-closed
}

// A frame the socket cannot take at once (its client is not reading) is
// written in part, waits for the client while the stuck-write clock runs,
// and arrives whole once the client reads.
func TestAFrameTheSocketCannotTakeAtOnceArrivesWhole(t *testing.T) {
	client, conn, _ := frameServer(t)
	client.SetReadLimit(8 << 20)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB: more than loopback buffers hold
	wrote := make(chan error, 1)
	go func() { wrote <- conn.text(frame(msg)) }()
	deadline := time.Now().Add(5 * time.Second)
	for conn.writing.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the write never waited for the client: the stuck-write watch could not see a slow client")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-wrote:
		t.Fatalf("the write returned (%v) before the client read", err)
	default:
	}
	_, got, err := client.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, msg) {
		t.Fatalf("got %d bytes, want the %d written, unchanged", len(got), len(msg))
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	if conn.writing.Load() != 0 {
		t.Fatal("the stuck-write clock still runs after the write")
	}
}

// Frames that fill the socket's buffer while its client is not reading
// (the last one taken in part, the rest waiting for the client) all
// arrive whole and in order once it reads.
func TestFramesThatFillTheSocketArriveWholeAndInOrder(t *testing.T) {
	client, conn, _ := frameServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := func(i int) []byte { return bytes.Repeat([]byte{'a' + byte(i%26)}, 40_000+i) }
	wrote := make(chan int, 1)
	stop := make(chan struct{})
	go func() {
		i := 0
		defer func() { wrote <- i }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := conn.text(frame(msg(i))); err != nil {
				t.Error(err)
				return
			}
			i++
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for conn.writing.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the socket's buffer never filled")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	// The writer finishes its frame in flight once the client reads, then
	// stops: the client reads until then, and the count is checked after.
	frames := make(chan []byte, 1024)
	go func() {
		for {
			_, got, err := client.Read(ctx)
			if err != nil {
				close(frames)
				return
			}
			frames <- got
		}
	}()
	n := <-wrote
	for i := range n {
		got, ok := <-frames
		if !ok {
			t.Fatalf("frame %d of %d never arrived", i, n)
		}
		if want := msg(i); !bytes.Equal(got, want) {
			t.Fatalf("frame %d: %d bytes, want %d of %q", i, len(got), len(want), want[:1])
		}
	}
}

// Once the socket is closed nothing more is written, not even to the
// socket that reuses its descriptor number.
func TestNothingIsWrittenAfterTheSocketCloses(t *testing.T) {
	_, conn, _ := frameServer(t)
	if err := conn.text(frame([]byte("open"))); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	// A new connected pair: on Linux each takes the lowest free
	// descriptor, the first most likely the one just closed.
	dialed, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer dialed.Close()
	accepted, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer accepted.Close()
	if err := conn.text(frame([]byte("after close"))); err == nil {
		t.Fatal("a write after close succeeded")
	}
	for _, c := range []net.Conn{dialed, accepted} {
		_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		if n, err := c.Read(make([]byte, 64)); n > 0 {
			t.Fatalf("a new socket received %d bytes of a closed one's (%v)", n, err)
		}
	}
}
