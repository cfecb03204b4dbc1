package api

// Writing a message frame straight to the socket, beside the websocket
// library that reads it and answers its control frames.

import (
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// frameRoom is the room a frame buffer keeps in front of its message for
// the frame header: at most 10 bytes from a server (RFC 6455 5.2: 2, plus
// 2 or 8 for the length; a server never masks).
const frameRoom = 10

// controlBuffer is the size of the library's write buffer. It writes only
// control frames (pong, close): 2 header bytes and at most 125 of
// payload, so each frame fits whole and reaches frameConn in one Write.
const controlBuffer = 256

// opClose is the close frame's opcode (RFC 6455 5.5.1).
const opClose = 0x8

// errShut: the close frame went out, the message did not. The socket is
// closing by its handshake; the writer just stops (aborting would wait
// for that handshake).
var errShut = errors.New("websocket: close frame sent")

// frameConn is a socket shared by two writers: the websocket library
// (coder/websocket), which writes control frames - pongs and the close
// handshake - through its buffered writer, and the transport, which
// writes every message frame itself. The library's write path costs two
// channel locks, a context check, a header written byte by byte into a
// buffer and a copy of the message for every frame: in a 10,000-socket
// fan-out profile that was 15 % of the server's CPU beside the system
// call itself. One mutex here keeps the two writers' frames whole and in
// order.
type frameConn struct {
	net.Conn

	mu sync.Mutex
	// shut is set once a close frame went out: no message may follow it
	// (RFC 6455 5.5.1).
	shut bool
	// writing is when the current write started (UnixNano), 0 if none:
	// a write stuck past the write timeout means the client stopped
	// reading (websocket_watch.go).
	writing atomic.Int64
	// raw sends what the socket takes at once past the poller
	// (websocket_rawsocket_linux.go).
	raw rawSocket
}

// attach sets the hijacked socket under f.
func (f *frameConn) attach(c net.Conn) {
	f.Conn = c
	f.raw.open(c)
}

// Close forgets the descriptor for direct sends, then closes the socket.
func (f *frameConn) Close() error {
	f.raw.close()
	return f.Conn.Close()
}

// Write takes one frame of the library's (its buffer flushes each frame
// whole: see controlBuffer).
func (f *frameConn) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(p) > 0 && p[0]&0x0f == opClose {
		f.shut = true
	}
	return f.write(p)
}

func (f *frameConn) write(p []byte) (int, error) {
	n := f.raw.send(p)
	if n == len(p) {
		return n, nil
	}
	f.writing.Store(time.Now().UnixNano())
	m, err := f.Conn.Write(p[n:])
	f.writing.Store(0)
	return n + m, err
}

// text writes one unfragmented text message: frame holds frameRoom bytes
// of room, then the message. The header goes into the room, so the frame
// leaves in one system call without being copied.
func (f *frameConn) text(frame []byte) error {
	msg := len(frame) - frameRoom
	var start int
	switch {
	case msg <= 125:
		start = frameRoom - 2
		frame[start+1] = byte(msg)
	case msg <= 0xffff:
		start = frameRoom - 4
		frame[start+1] = 126
		binary.BigEndian.PutUint16(frame[start+2:], uint16(msg))
	default:
		start = frameRoom - 10
		frame[start+1] = 127
		binary.BigEndian.PutUint64(frame[start+2:], uint64(msg))
	}
	frame[start] = 0x80 | 0x1 // FIN, text
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.shut {
		return errShut
	}
	_, err := f.write(frame[start:])
	return err
}
