package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// rawWS is a minimal websocket client for the load side of the fan-out:
// 10,000 of them share two cores with the server under test, so each
// reads frames straight from a small buffer without allocating per
// message. It speaks just what the benchmark needs (text frames, close,
// ping) and is not a general client; correctness against real clients is
// what the e2e tests and the graphql-ws check in the README are for.
type rawWS struct {
	conn net.Conn
	br   *bufio.Reader
	buf  []byte // the current message
}

// dialRaw opens a websocket with one subprotocol ("" for none).
func dialRaw(ctx context.Context, rawURL, proto string) (*rawWS, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host +
		"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " +
		base64.StdEncoding.EncodeToString(key) + "\r\n"
	if proto != "" {
		req += "Sec-WebSocket-Protocol: " + proto + "\r\n"
	}
	req += "\r\n"
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if _, err := io.WriteString(conn, req); err != nil {
		_ = conn.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(conn, 2048)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 101 ") {
		_ = conn.Close()
		return nil, fmt.Errorf("websocket upgrade refused: %q: %w", strings.TrimSpace(status), err)
	}
	for { // the rest of the response header
		line, err := br.ReadString('\n')
		if err != nil {
			_ = conn.Close()
			return nil, err
		}
		if line == "\r\n" {
			break
		}
	}
	_ = conn.SetDeadline(time.Time{})
	return &rawWS{conn: conn, br: br}, nil
}

// write sends one masked frame (clients must mask).
func (w *rawWS) write(opcode byte, payload []byte) error {
	frame := make([]byte, 0, len(payload)+14)
	frame = append(frame, 0x80|opcode)
	switch n := len(payload); {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	case n < 1<<16:
		frame = append(frame, 0x80|126, byte(n>>8), byte(n))
	default:
		frame = append(frame, 0x80|127)
		frame = binary.BigEndian.AppendUint64(frame, uint64(n))
	}
	var mask [4]byte
	_, _ = rand.Read(mask[:])
	frame = append(frame, mask[:]...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	_, err := w.conn.Write(frame)
	return err
}

func (w *rawWS) writeText(b []byte) error { return w.write(0x1, b) }

var errClosed = errors.New("websocket closed")

// next returns the next text message; the slice is valid until the next
// call. Pings are answered; a close frame ends the stream.
func (w *rawWS) next() ([]byte, error) {
	w.buf = w.buf[:0]
	for {
		h0, err := w.br.ReadByte()
		if err != nil {
			return nil, err
		}
		h1, err := w.br.ReadByte()
		if err != nil {
			return nil, err
		}
		fin, opcode := h0&0x80 != 0, h0&0x0f
		n := uint64(h1 & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(w.br, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(w.br, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if n > 16<<20 {
			return nil, errors.New("frame too large")
		}
		start := len(w.buf)
		w.buf = slices.Grow(w.buf, int(n))[:start+int(n)]
		if _, err := io.ReadFull(w.br, w.buf[start:]); err != nil {
			return nil, err
		}
		switch opcode {
		case 0x8: // close: a status code, then the reason
			why := w.buf[start:]
			if len(why) >= 2 {
				return nil, fmt.Errorf("%w: %d %s", errClosed, binary.BigEndian.Uint16(why), why[2:])
			}
			return nil, errClosed
		case 0x9: // ping
			pong := bytes.Clone(w.buf[start:])
			w.buf = w.buf[:start]
			if err := w.write(0xA, pong); err != nil {
				return nil, err
			}
			continue
		case 0xA: // pong
			w.buf = w.buf[:start]
			continue
		}
		if fin {
			return w.buf, nil
		}
	}
}

func (w *rawWS) close() { _ = w.conn.Close() }
