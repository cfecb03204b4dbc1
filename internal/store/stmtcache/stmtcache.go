// Package stmtcache keeps each PostgreSQL connection's statements
// prepared, so a query the server runs again is neither parsed nor planned
// again and costs one round trip instead of two.
//
// Why: lib/pq runs every parameterised query as an unnamed statement -
// Parse and Describe, wait, then Bind and Execute - so PostgreSQL parses
// and plans it every time. The send path's queries are few and always the
// same; re-planning them cost PostgreSQL about as much CPU as running them
// (see README, Performance). pgx has such a cache built in; the stack uses
// lib/pq, which leaves it to the caller, and database/sql's own prepared
// statements are per call site, not per query text. So this wraps lib/pq's
// connector at the database/sql/driver level, where it serves ent and
// every raw query alike.
//
// Each connection keeps up to Size statements, least recently used first
// out. A statement PostgreSQL no longer accepts (its table changed shape
// under a migration: "cached plan must not change result type", or it was
// deallocated) is dropped, so the next use prepares it again; such an
// error inside a transaction aborts it, and store.InTx retries.
package stmtcache

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/lib/pq"
)

// New wraps a connector (lib/pq's) so its connections cache statements.
func New(base driver.Connector, size int) driver.Connector {
	if size <= 0 {
		size = 256
	}
	return &connector{base: base, size: size}
}

type connector struct {
	base driver.Connector
	size int
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	p, ok := conn.(driver.ConnPrepareContext)
	if !ok {
		return conn, nil // not a driver we know how to cache for
	}
	return &cachingConn{Conn: conn, prep: p, size: c.size, stmts: map[string]*list.Element{}, lru: list.New()}, nil
}

func (c *connector) Driver() driver.Driver { return c.base.Driver() }

// cachingConn is one connection and its statements. database/sql uses a
// connection from one goroutine at a time, so it needs no lock.
type cachingConn struct {
	driver.Conn
	prep  driver.ConnPrepareContext
	size  int
	stmts map[string]*list.Element // query -> element holding *entry
	lru   *list.List               // front = most recently used
}

type entry struct {
	query string
	stmt  driver.Stmt
}

// stmt returns the prepared statement for query, preparing it on a miss.
func (c *cachingConn) stmt(ctx context.Context, query string) (driver.Stmt, error) {
	if e, ok := c.stmts[query]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*entry).stmt, nil
	}
	st, err := c.prep.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = c.lru.PushFront(&entry{query: query, stmt: st})
	for c.lru.Len() > c.size {
		c.drop(c.lru.Back())
	}
	return st, nil
}

// drop forgets a statement and deallocates it on the server.
func (c *cachingConn) drop(e *list.Element) {
	en := c.lru.Remove(e).(*entry)
	delete(c.stmts, en.query)
	// A failure marks the connection bad in lib/pq, and database/sql then
	// discards it; nothing else to do.
	_ = en.stmt.Close()
}

// forget drops query's statement after an error that says PostgreSQL no
// longer accepts it.
func (c *cachingConn) forget(query string, err error) {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) {
		return
	}
	switch pqErr.Code {
	case "0A000", // feature_not_supported: cached plan must not change result type
		"26000": // invalid_sql_statement_name: deallocated
		if e, ok := c.stmts[query]; ok {
			en := c.lru.Remove(e).(*entry)
			delete(c.stmts, en.query)
			// Not closed: the server has no usable statement to free, and
			// the connection may be in a failed transaction.
		}
	}
}

// PlanEachTime marks a query PostgreSQL must plan for its arguments every
// time: written anywhere in the query (it is a comment), it keeps the
// query out of the cache. A prepared statement switches to a generic plan
// after five runs, and a generic plan cannot know how selective an
// argument is - a full-text search for a rare word then walks the whole
// inbox instead of asking the index (70 ms instead of 15 at 1M messages).
const PlanEachTime = "/* plan each time */"

// cacheable: a query without arguments is one round trip already (the
// simple protocol), COPY has its own protocol, and PlanEachTime opts out.
func cacheable(query string, args []driver.NamedValue) bool {
	return len(args) > 0 && !startsWithCopy(query) && !strings.Contains(query, PlanEachTime)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if !cacheable(query, args) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		c.forget(query, err)
	}
	return rows, err
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if !cacheable(query, args) {
		return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	if err != nil {
		c.forget(query, err)
	}
	return res, err
}

// The rest passes through to lib/pq's connection, which implements all of
// these; database/sql only uses what the outer connection implements.

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.prep.PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *cachingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

// Close closes the connection; its statements go with it on the server.
func (c *cachingConn) Close() error { return c.Conn.Close() }

// startsWithCopy is lib/pq's test for a COPY statement.
func startsWithCopy(q string) bool {
	i := 0
	for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
		i++
	}
	return len(q)-i >= 4 && (q[i]|0x20) == 'c' && (q[i+1]|0x20) == 'o' && (q[i+2]|0x20) == 'p' && (q[i+3]|0x20) == 'y'
}
