package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

type client struct{ base string }

// http is shared: keep-alive connections for the normal traffic.
var httpClient = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// outcome is a response reduced to what the report counts: the HTTP
// status and the first error's code ("ok" without errors).
type outcome struct {
	status int
	code   string
	data   map[string]any
}

func (o outcome) String() string {
	if o.status == 0 {
		return o.code
	}
	return fmt.Sprintf("%d %s", o.status, o.code)
}

func (c *client) post(ctx context.Context, token, contentType string, body io.Reader) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base, body)
	if err != nil {
		return outcome{code: "request: " + err.Error()}
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return outcome{code: "transport error"}
	}
	defer res.Body.Close()
	var out struct {
		Data   map[string]any `json:"data"`
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	// Read at most 1 MiB: an answer larger than that is itself a finding.
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if n, _ := io.Copy(io.Discard, res.Body); n > 0 {
		return outcome{status: res.StatusCode, code: fmt.Sprintf("ANSWER OVER 1 MiB (+%d bytes)", n)}
	}
	if json.Unmarshal(b, &out) != nil {
		return outcome{status: res.StatusCode, code: "not JSON"}
	}
	o := outcome{status: res.StatusCode, code: "ok", data: out.Data}
	if len(out.Errors) > 0 {
		o.code, _ = out.Errors[0].Extensions["code"].(string)
		if o.code == "" {
			o.code = "NO CODE"
		}
	}
	return o
}

func (c *client) do(ctx context.Context, token, query string, vars map[string]any) outcome {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return c.post(ctx, token, "application/json", bytes.NewReader(b))
}

// world is what the normal traffic and the attacks use.
type world struct {
	owner, visitor, attacker string // tokens
	page, thread             string
}

func setUp(ctx context.Context, c *client) (*world, error) {
	w := &world{}
	signUp := func(name string) (string, error) {
		o := c.do(ctx, "", `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, map[string]any{"i": map[string]any{
			"name": name, "handle": name, "email": name + "@example.com", "password": "correct horse battery"}})
		if o.code != "ok" {
			return "", fmt.Errorf("sign up %s: %s", name, o)
		}
		return o.data["signUp"].(map[string]any)["token"].(string), nil
	}
	var err error
	if w.owner, err = signUp("owner"); err != nil {
		return nil, err
	}
	if w.visitor, err = signUp("visitor"); err != nil {
		return nil, err
	}
	if w.attacker, err = signUp("attacker"); err != nil {
		return nil, err
	}
	o := c.do(ctx, w.owner, `mutation { createPage(input: {name: "Stress", handle: "stress"}) { page { id } } }`, nil)
	if o.code != "ok" {
		return nil, fmt.Errorf("create page: %s", o)
	}
	w.page = o.data["createPage"].(map[string]any)["page"].(map[string]any)["id"].(string)
	for i := range 30 {
		o = c.do(ctx, w.visitor, `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) { thread { id } } }`,
			map[string]any{"i": map[string]any{"pageId": w.page, "body": fmt.Sprintf("hello %d", i)}})
		if o.code != "ok" {
			return nil, fmt.Errorf("send: %s", o)
		}
	}
	w.thread = o.data["sendMessageToPage"].(map[string]any)["thread"].(map[string]any)["id"].(string)
	return w, nil
}

// normalTraffic is what the product's clients do, in a loop: the staff's
// inbox, a thread's messages, a reply now and then.
func normalTraffic(ctx context.Context, c *client, w *world, l *latencies) {
	ops := []struct {
		token, query string
		vars         map[string]any
	}{
		{w.owner, `{ viewer { id name } }`, nil},
		{w.owner, `query($p: ID!) { node(id: $p) { ... on Page { threads(first: 20) { edges { node { id lastMessage { body } } } } } } }`, map[string]any{"p": w.page}},
		{w.visitor, `query($t: ID!) { node(id: $t) { ... on Thread { messages(last: 20) { edges { node { seq body createdAt } } } } } }`, map[string]any{"t": w.thread}},
		{w.owner, `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "reply"}) { message { seq } } }`, map[string]any{"t": w.thread}},
	}
	for i := 0; ctx.Err() == nil; i++ {
		op := ops[i%len(ops)]
		start := time.Now()
		o := c.do(ctx, op.token, op.query, op.vars)
		if ctx.Err() != nil {
			return
		}
		l.add(time.Since(start), o.code == "ok")
		time.Sleep(20 * time.Millisecond) // a person's pace, not a load test
	}
}

type latencies struct {
	mu   sync.Mutex
	d    []time.Duration
	fail int
}

func (l *latencies) add(d time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.d = append(l.d, d)
	if !ok {
		l.fail++
	}
}

func (l *latencies) n() int      { l.mu.Lock(); defer l.mu.Unlock(); return len(l.d) }
func (l *latencies) failed() int { l.mu.Lock(); defer l.mu.Unlock(); return l.fail }

func (l *latencies) percentile(p int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), l.d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*p/100)].Round(100 * time.Microsecond)
}

// result counts an attack's outcomes.
type result struct {
	name string
	mu   sync.Mutex
	seen map[string]int
}

func (r *result) add(o string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	r.seen[o]++
}

func (r *result) count() int {
	n := 0
	for _, v := range r.seen {
		n += v
	}
	return n
}

func (r *result) outcomes() string {
	keys := make([]string, 0, len(r.seen))
	for k := range r.seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s x%d", k, r.seen[k])
	}
	return strings.Join(parts, ", ")
}
