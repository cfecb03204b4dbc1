package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// attack is one finding of the audit, replayed.
type attack struct {
	name string
	run  func(ctx context.Context) *result
}

// repeat sends one request over and over from n workers until ctx ends
// (at most max times in all).
func repeat(name string, n, max int, send func(ctx context.Context) outcome) attack {
	return attack{name: name, run: func(ctx context.Context) *result {
		r := &result{name: name}
		var wg sync.WaitGroup
		var left = make(chan struct{}, max)
		for range max {
			left <- struct{}{}
		}
		close(left)
		for range n {
			wg.Go(func() {
				for range left {
					o := send(ctx)
					if ctx.Err() != nil {
						return
					}
					r.add(o.String())
				}
			})
		}
		wg.Wait()
		return r
	}}
}

func aliases(n int, field string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " a%d: %s", i, field)
	}
	b.WriteString(" }")
	return b.String()
}

func attacks(c *client, w *world) []attack {
	directives := []byte(`{"query":"{ __typename ` + strings.Repeat("@x ", 340_000) + `}"}`)
	fields := make([]string, 3000)
	for i := range fields {
		fields[i] = fmt.Sprintf("viewr%d", i)
	}
	unknownFields := "{ " + strings.Join(fields, " ") + " }"
	schemas := aliases(500, "__schema { types { fields { args { type { name } } } } }")
	searches := aliases(6000, `pages(search: "x", first: 0) { totalCount }`)
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = w.thread
	}
	// Built once: the load client shares the machine's CPUs with the
	// server whose latency it measures.
	bigOpsType, bigOpsBody := multipartBody(`{"query":"{ viewer { id } }","variables":{"pad":"`+strings.Repeat("x", 40<<20)+`"}}`, `{}`, nil)
	bigFileType, bigFileBody := multipartBody(`{"query":"mutation($f: Upload!) { x(f: $f) }","variables":{"f":null}}`, `{"0":["variables.f"]}`, make([]byte, 20<<20))
	wsURL := "ws" + strings.TrimPrefix(c.base, "http")

	return []attack{
		repeat("1 MiB of unknown directives, anonymous", 2, 1000, func(ctx context.Context) outcome {
			return c.post(ctx, "", "application/json", bytes.NewReader(directives))
		}),
		repeat("3,000 unknown fields (suggestions on)", 1, 1000, func(ctx context.Context) outcome {
			return c.do(ctx, "", unknownFields, nil)
		}),
		repeat("500 aliases of __schema", 1, 1000, func(ctx context.Context) outcome {
			return c.do(ctx, "", schemas, nil)
		}),
		repeat("6,000 aliases of pages(search:)", 1, 1000, func(ctx context.Context) outcome {
			return c.do(ctx, "", searches, nil)
		}),
		repeat("nodes(ids:) x100, 100 messages each", 1, 1000, func(ctx context.Context) outcome {
			return c.do(ctx, w.owner, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Thread { messages(first: 100) { edges { node { body } } } } } }`,
				map[string]any{"ids": ids})
		}),
		repeat("multipart: 40 MB operations part", 1, 50, func(ctx context.Context) outcome {
			return c.post(ctx, w.attacker, bigOpsType, bytes.NewReader(bigOpsBody))
		}),
		repeat("multipart: anonymous 20 MB file", 1, 50, func(ctx context.Context) outcome {
			return c.post(ctx, "", bigFileType, bytes.NewReader(bigFileBody))
		}),
		{name: "2,000 websockets for one person", run: func(ctx context.Context) *result {
			return sockets(ctx, wsURL, "2,000 websockets for one person", 2000, w.attacker)
		}},
		{name: "500 anonymous websockets from one address", run: func(ctx context.Context) *result {
			return sockets(ctx, wsURL, "500 anonymous websockets from one address", 500, "")
		}},
		{name: "10,000 subscriptions on one socket", run: func(ctx context.Context) *result {
			return subscriptions(ctx, wsURL, w.visitor, 10_000)
		}},
		{name: "500 event streams for one person", run: func(ctx context.Context) *result {
			return streams(ctx, c, w.attacker, 500)
		}},
		{name: "300 slow bodies", run: func(ctx context.Context) *result {
			return slowBodies(ctx, strings.TrimSuffix(strings.TrimPrefix(c.base, "http://"), "/query"), 300)
		}},
	}
}

func multipartBody(operations, mapPart string, file []byte) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("operations", operations)
	_ = mw.WriteField("map", mapPart)
	if file != nil {
		fw, _ := mw.CreateFormFile("0", "big.bin")
		_, _ = fw.Write(file)
	}
	_ = mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// sockets opens n websockets (authenticated with token, or anonymous and
// never initialised) and holds those the server keeps until ctx ends.
func sockets(ctx context.Context, url, name string, n int, token string) *result {
	r := &result{name: name}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		open []*websocket.Conn
	)
	next := make(chan struct{}, n)
	for range n {
		next <- struct{}{}
	}
	close(next)
	for range 32 {
		wg.Go(func() {
			for range next {
				if ctx.Err() != nil {
					return
				}
				conn, outcome := dialInit(ctx, url, token)
				r.add(outcome)
				if conn != nil {
					mu.Lock()
					open = append(open, conn)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	<-ctx.Done()
	for _, c := range open {
		_ = c.CloseNow()
	}
	return r
}

func dialInit(ctx context.Context, url, token string) (*websocket.Conn, string) {
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(dctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}}) //nolint:bodyclose // the websocket owns the connection
	if err != nil {
		if res != nil {
			return nil, fmt.Sprintf("refused %d", res.StatusCode)
		}
		return nil, "dial error"
	}
	if token == "" {
		// Held open without connection_init: the server closes it (4408)
		// after 3 s; the test is whether the upgrade is refused at all.
		go func() { _, _, _ = conn.Read(ctx) }()
		return conn, "upgraded"
	}
	init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}})
	if err := conn.Write(dctx, websocket.MessageText, init); err != nil {
		return nil, "write error"
	}
	_, data, err := conn.Read(dctx)
	if err != nil {
		return nil, fmt.Sprintf("closed %d", websocket.CloseStatus(err))
	}
	var m struct{ Type string }
	_ = json.Unmarshal(data, &m)
	if m.Type != "connection_ack" {
		_ = conn.CloseNow()
		return nil, m.Type
	}
	go func() { // answer pings so the server keeps it
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if bytes.Contains(data, []byte(`"ping"`)) {
				_ = conn.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`))
			}
		}
	}()
	return conn, "acked"
}

// subscriptions starts n subscriptions on one socket.
func subscriptions(ctx context.Context, url, token string, n int) *result {
	r := &result{name: "10,000 subscriptions on one socket"}
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(dctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}}) //nolint:bodyclose // the websocket owns the connection
	if err != nil {
		r.add("dial error")
		return r
	}
	defer func() { _ = conn.CloseNow() }()
	conn.SetReadLimit(1 << 20)
	init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}})
	_ = conn.Write(dctx, websocket.MessageText, init)
	if _, _, err := conn.Read(dctx); err != nil {
		r.add("no ack")
		return r
	}
	refused := make(chan int, 1)
	go func() {
		k := 0
		defer func() { refused <- k }()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if bytes.Contains(data, []byte(`"type":"error"`)) && bytes.Contains(data, []byte("LIMIT_EXCEEDED")) {
				k++
			}
			if bytes.Contains(data, []byte(`"ping"`)) {
				_ = conn.Write(ctx, websocket.MessageText, []byte(`{"type":"pong"}`))
			}
		}
	}()
	for i := range n {
		msg, _ := json.Marshal(map[string]any{"type": "subscribe", "id": fmt.Sprint(i), "payload": map[string]any{"query": "subscription { notificationAdded { id } }"}})
		if conn.Write(ctx, websocket.MessageText, msg) != nil {
			break
		}
	}
	<-ctx.Done()
	_ = conn.CloseNow()
	k := <-refused
	r.seen = map[string]int{"error LIMIT_EXCEEDED": k, "running": n - k}
	return r
}

// streams opens n server-sent event streams and holds the accepted ones.
func streams(ctx context.Context, c *client, token string, n int) *result {
	r := &result{name: "500 event streams for one person"}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{"query": "subscription { notificationAdded { id } }"})
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.base, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "text/event-stream")
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := (&http.Client{}).Do(req)
			if err != nil {
				r.add("error")
				return
			}
			defer res.Body.Close()
			r.add(fmt.Sprint(res.StatusCode))
			_, _ = io.Copy(io.Discard, res.Body) // held until ctx ends
		})
	}
	wg.Wait()
	return r
}

// slowBodies opens n connections whose bodies trickle a byte a second,
// and reports how long the server held each.
func slowBodies(ctx context.Context, addr string, n int) *result {
	r := &result{name: "300 slow bodies"}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				r.add("dial error")
				return
			}
			defer conn.Close()
			start := time.Now()
			fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
			closed := make(chan struct{})
			go func() { _, _ = io.Copy(io.Discard, conn); close(closed) }()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-closed:
					r.add(fmt.Sprintf("cut by the server after ~%ds", int(time.Since(start).Seconds()+0.5)))
					return
				case <-ctx.Done():
					r.add("still held at the end")
					return
				case <-t.C:
					_, _ = conn.Write([]byte(" "))
				}
			}
		})
	}
	wg.Wait()
	return r
}
