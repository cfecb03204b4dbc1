package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// postgraphileVersion is the read-path peer (-peer): a GraphQL server
// generated from the same PostgreSQL schema, serving the same inbox.
const postgraphileVersion = "4.14.1"

// postgraphileInbox is inboxQuery in PostGraphile's generated names: the
// page's 50 most recent threads (last message time, newest first - it
// appends the primary key as the tie-break, as ours appends the id) with
// snippet, unread count, status and the visitor. Its ids are node ids
// (nodeId; id is the bare column), as ours are global ids.
const postgraphileInbox = `query($p: BigInt!) { allThreads(condition: {pageId: $p}, orderBy: LAST_MESSAGE_AT_DESC, first: 50) {
	nodes { nodeId snippet lastMessageAt pageUnread status userByVisitorId { nodeId name } }
} }`

// postgraphile is a running PostGraphile.
type postgraphile struct {
	proc *peerProc
	url  string
}

// startPostgraphile installs PostGraphile once into the user cache dir
// (npm) and starts it on dbURL's public schema, with what its docs
// recommend for production (no query log, no GraphiQL).
func startPostgraphile(ctx context.Context, dbURL string) (*postgraphile, error) {
	dir, err := peerCache("postgraphile-" + postgraphileVersion)
	if err != nil {
		return nil, err
	}
	cli := filepath.Join(dir, "node_modules", "postgraphile", "cli.js")
	if _, err := os.Stat(cli); err != nil {
		if err := install(ctx, dir, nil, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, "postgraphile@"+postgraphileVersion); err != nil {
			return nil, err
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	proc, err := startPeer(ctx, "PostGraphile", dir, []string{"NODE_ENV=production"}, "node", cli,
		"--connection", dbURL, "--schema", "public", "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--disable-query-log", "--disable-graphiql")
	if err != nil {
		return nil, err
	}
	p := &postgraphile{proc: proc, url: fmt.Sprintf("http://127.0.0.1:%d/graphql", port)}
	h := http.Header{"Content-Type": {"application/json"}}
	if err := proc.waitReady(ctx, time.Minute, func(ctx context.Context) error {
		return httpOK(ctx, p.url, h, []byte(`{"query":"{ __typename }"}`))
	}); err != nil {
		proc.stop()
		return nil, err
	}
	return p, nil
}

// check runs the query once and wants the threads ours listed, in its
// order, each with its visitor's name: the two answer the same question.
func (p *postgraphile) check(ctx context.Context, c *client, page int, ours []string) error {
	var out struct {
		AllThreads struct {
			Nodes []struct {
				ID              string                // a BigInt: a string
				UserByVisitorID struct{ Name string } `json:"userByVisitorId"`
			}
		}
	}
	q := `query($p: BigInt!) { allThreads(condition: {pageId: $p}, orderBy: LAST_MESSAGE_AT_DESC, first: 50) { nodes { id userByVisitorId { name } } } }`
	if err := c.do(ctx, "", q, map[string]any{"p": strconv.Itoa(page)}, &out); err != nil {
		return err
	}
	var theirs, want []string
	for _, n := range out.AllThreads.Nodes {
		if n.UserByVisitorID.Name == "" {
			return fmt.Errorf("PostGraphile lists thread %s without its visitor's name", n.ID)
		}
		theirs = append(theirs, n.ID)
	}
	for _, id := range ours {
		want = append(want, strconv.Itoa(rawID(id)))
	}
	if !slices.Equal(theirs, want) {
		return fmt.Errorf("PostGraphile lists other threads than ours: %v, ours %v", theirs, want)
	}
	return nil
}
