package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// centrifugoVersion is the fan-out peer (-peer): a real-time messaging
// server whose whole job is pushing a published message to many
// websocket subscribers.
const centrifugoVersion = "6.9.1"

// centrifugoChannel is the one channel every subscriber joins, as every
// staff member of the page watches its inbox.
const centrifugoChannel = "inbox:benchpage"

// centrifugo is a running Centrifugo with its HTTP API key and the
// secret its connection tokens are signed with.
type centrifugo struct {
	proc   *peerProc
	addr   string
	apiKey string
	secret []byte
	http   *http.Client
}

// centrifugoClient connects subscribers to a Centrifugo (in a load
// process) and notes the ones the server disconnected.
type centrifugoClient struct {
	url    string // ws://host:port/connection/websocket
	secret []byte
	lost   atomic.Int64 // subscribers the server disconnected
	why    atomic.Value // the first one's reason
}

// startCentrifugo builds Centrifugo once into the user cache dir (go
// install through the module proxy: the first build takes minutes) and
// starts it with the in-memory engine, HMAC JWT connection tokens and a
// namespace whose channels authenticated clients may subscribe to.
func startCentrifugo(ctx context.Context) (*centrifugo, error) {
	dir, err := peerCache("centrifugo-" + centrifugoVersion)
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "centrifugo")
	if _, err := os.Stat(bin); err != nil {
		if err := install(ctx, dir, []string{"GOBIN=" + dir}, "go", "install", "github.com/centrifugal/centrifugo/v6@v"+centrifugoVersion); err != nil {
			return nil, err
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c := &centrifugo{addr: "127.0.0.1:" + strconv.Itoa(port), apiKey: randomHex(16), secret: []byte(randomHex(32)),
		http: &http.Client{Timeout: 30 * time.Second}}
	conf, err := json.Marshal(map[string]any{
		"http_server": map[string]any{"address": "127.0.0.1", "port": port},
		"log":         map[string]any{"level": "error"},
		"client":      map[string]any{"token": map[string]any{"hmac_secret_key": string(c.secret)}},
		"http_api":    map[string]any{"key": c.apiKey},
		"channel": map[string]any{"namespaces": []any{
			map[string]any{"name": "inbox", "allow_subscribe_for_client": true},
		}},
		"usage_stats": map[string]any{"disabled": true},
	})
	if err != nil {
		return nil, err
	}
	confDir, err := os.MkdirTemp("", "pageinbox-bench-centrifugo-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(confDir) }() // read once, at start
	confPath := filepath.Join(confDir, "config.json")
	if err := os.WriteFile(confPath, conf, 0o600); err != nil {
		return nil, err
	}
	if c.proc, err = startPeer(ctx, "Centrifugo", confDir, nil, bin, "--config", confPath); err != nil {
		return nil, err
	}
	if err := c.proc.waitReady(ctx, time.Minute, func(ctx context.Context) error {
		return httpOK(ctx, "http://"+c.addr+"/api/info", c.header(), []byte(`{}`))
	}); err != nil {
		c.proc.stop()
		return nil, err
	}
	return c, nil
}

func (c *centrifugo) header() http.Header {
	return http.Header{"Content-Type": {"application/json"}, "X-Api-Key": {c.apiKey}}
}

// token is a connection JWT (HS256) for user sub.
func (c *centrifugoClient) token(sub string) string {
	enc := base64.RawURLEncoding
	claims, _ := json.Marshal(map[string]any{"sub": sub})
	s := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString(claims)
	m := hmac.New(sha256.New, c.secret)
	m.Write([]byte(s))
	return s + "." + enc.EncodeToString(m.Sum(nil))
}

// publish publishes what our inboxEvent carries for a visitor message,
// through the HTTP API.
func (c *centrifugo) publish(ctx context.Context, threadID string, seq int) error {
	body, _ := json.Marshal(map[string]any{"channel": centrifugoChannel, "data": map[string]any{
		"kind": "MESSAGE", "thread": map[string]any{"id": threadID},
		"message": map[string]any{"seq": seq, "createdAt": time.Now().UTC().Format(time.RFC3339Nano)},
	}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+c.addr+"/api/publish", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header = c.header()
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || bytes.Contains(b, []byte(`"error"`)) {
		return fmt.Errorf("publish: %s: %s", res.Status, b)
	}
	return nil
}

// subscribe connects one websocket client as user sub with Centrifugo's
// JSON protocol (connect, then subscribe, one reply each) and starts a
// goroutine recording each publication's seq until ctx ends; it answers
// the server's pings ({}) with pongs ({}).
func (c *centrifugoClient) subscribe(ctx context.Context, sub string, d *deliveries, wg *sync.WaitGroup) error {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	ws, err := dialRaw(dctx, c.url, "")
	if err != nil {
		return err
	}
	cmd := func(id int, method string, params map[string]any) error {
		b, _ := json.Marshal(map[string]any{"id": id, method: params})
		if err := ws.writeText(b); err != nil {
			return err
		}
		reply, err := ws.next()
		if err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		if !bytes.Contains(reply, []byte(`"`+method+`"`)) || bytes.Contains(reply, []byte(`"error"`)) {
			return fmt.Errorf("%s: %s", method, reply)
		}
		return nil
	}
	if err := cmd(1, "connect", map[string]any{"token": c.token(sub)}); err != nil {
		ws.close()
		return err
	}
	if err := cmd(2, "subscribe", map[string]any{"channel": centrifugoChannel}); err != nil {
		ws.close()
		return err
	}
	r := d.newSubscriber()
	stop := context.AfterFunc(ctx, ws.close)
	wg.Go(func() {
		defer stop()
		defer ws.close()
		for {
			data, err := ws.next()
			now := time.Now()
			if err != nil {
				if ctx.Err() == nil {
					c.lost.Add(1)
					c.why.CompareAndSwap(nil, err.Error())
				}
				return
			}
			// A frame may carry several replies and pushes, one per line.
			for line := range bytes.Lines(data) {
				line = bytes.TrimSpace(line)
				switch {
				case string(line) == "{}":
					_ = ws.writeText([]byte("{}"))
				case bytes.Contains(line, []byte(`"pub"`)):
					seq, err := strconv.Atoi(string(field(line, "seq")))
					if err != nil {
						d.errs.Add(1)
						continue
					}
					d.record(r, seq, now)
				case bytes.Contains(line, []byte(`"disconnect"`)), bytes.Contains(line, []byte(`"error"`)):
					d.errs.Add(1)
					c.lost.Add(1)
					c.why.CompareAndSwap(nil, string(line))
					return
				}
			}
		}
	})
	return nil
}

// fanoutCentrifugo starts Centrifugo with as many subscribers as ours,
// on one channel, in a load process of their own, and measures its RSS
// per idle connection; runFanout then publishes to it as it sends to
// ours. The returned function stops it.
func fanoutCentrifugo(ctx context.Context, o options) (side *fanoutSide, stop func(), err error) {
	logf("fanout: starting Centrifugo %s", centrifugoVersion)
	c, err := startCentrifugo(ctx)
	if err != nil {
		return nil, nil, err
	}
	var load *loadProc
	cleanup := func() {
		if load != nil {
			load.stop()
		}
		c.proc.stop()
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	before, err := c.proc.rss()
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	load, err = startLoad(ctx, loadSpec{Kind: "centrifugo", URL: "ws://" + c.addr + "/connection/websocket",
		Secret: string(c.secret), Count: o.subscribers}, 5*time.Minute)
	if err != nil {
		return nil, nil, err
	}
	logf("fanout: Centrifugo: %d subscribers connected in %s", o.subscribers, time.Since(start).Round(time.Millisecond))
	// Every subscription is registered when its reply came back.
	time.Sleep(3 * time.Second)
	idle, err := c.proc.rss()
	if err != nil {
		return nil, nil, err
	}
	thread := "VGhyZWFkOjE" // a thread id the size of ours
	if err := c.publish(ctx, thread, 2); err != nil {
		return nil, nil, err
	}
	if err := load.wait(ctx, 2, o.subscribers, 2*time.Minute); err != nil {
		return nil, nil, err
	}
	side = &fanoutSide{name: "Centrifugo", pid: c.proc.pid(), d: load,
		send: func(ctx context.Context, seq int) error { return c.publish(ctx, thread, seq) }}
	side.perSub = float64(idle-before) / float64(o.subscribers)
	return side, cleanup, nil
}

// explain adds to a missed delivery how many subscribers the server
// disconnected, and why.
func (c *centrifugoClient) explain(err error) error {
	if n := c.lost.Load(); n > 0 {
		return fmt.Errorf("%w (%d connections lost, the first: %v)", err, n, c.why.Load())
	}
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
