package api

// Per-socket buffers: what an idle socket keeps in memory.

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// smallBuffers hands the websocket library smaller buffers than the HTTP
// server's 4 KiB reader and writer, which it would otherwise keep for the
// life of every socket. Client messages are small, and the library writes
// only control frames (websocket_frame.go): its writer holds one whole.
// The hijacked socket is wrapped in conn, which the transport writes its
// messages to.
type smallBuffers struct {
	http.ResponseWriter
	conn *frameConn
}

func (s smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	raw, brw, err := http.NewResponseController(s.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	s.conn.attach(raw)
	conn := s.conn
	// Bytes the HTTP server already read past the upgrade request move
	// into the new reader's buffer, where the library looks for them.
	early, _ := brw.Reader.Peek(brw.Reader.Buffered())
	br := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn), max(512, len(early)))
	if len(early) > 0 {
		if _, err := br.Peek(len(early)); err != nil {
			_ = conn.Close()
			return nil, nil, err
		}
	}
	return conn, bufio.NewReadWriter(br, bufio.NewWriterSize(conn, controlBuffer)), nil
}
