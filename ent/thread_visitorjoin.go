package ent

// Hand-written (not generated): a join that ent's eager loading does not
// offer. See WithVisitorJoined.

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"pageinbox/ent/thread"
	"pageinbox/ent/user"
)

// visitorJoinPrefix names the joined user columns in the thread rows; no
// thread column starts with it.
const visitorJoinPrefix = "visitor__"

// WithVisitorJoined makes a thread list that eager-loads its visitors
// (WithVisitor, or entgql's field collection when the GraphQL selection
// asks for thread.visitor) load them in the same statement, with a LEFT
// JOIN, instead of a second query: the staff inbox is then one round trip.
//
// The join is used only when it is equivalent to the second query: the
// visitor query passes the User privacy policy and interceptors first
// (prepareQuery), and must come out of them as a plain read (no
// predicates, order, limit, modifiers or eager-loaded edges of its own);
// otherwise the threads keep ent's two-query load. Either way the
// result is the same threads with the same visitors.
func (_q *ThreadQuery) WithVisitorJoined() *ThreadQuery {
	edge := visitorEdgeIndex()
	_q.inters = append(slices.Clip(_q.inters), InterceptFunc(func(next Querier) Querier {
		return QuerierFunc(func(ctx context.Context, q Query) (Value, error) {
			tq, ok := q.(*ThreadQuery)
			if !ok || tq.withVisitor == nil {
				return next.Query(ctx, q)
			}
			cols, err := joinableVisitors(ctx, tq.withVisitor)
			if err != nil {
				return nil, err
			}
			if cols == nil {
				return next.Query(ctx, q)
			}
			tq.withVisitor = nil
			tq.modifiers = append(slices.Clip(tq.modifiers), func(s *sql.Selector) {
				u := sql.Table(user.Table).As("visitor_join")
				s.LeftJoin(u).On(s.C(thread.FieldVisitorID), u.C(user.FieldID))
				for _, c := range cols {
					s.AppendSelect(sql.As(u.C(c), visitorJoinPrefix+c))
				}
			})
			if len(tq.ctx.Fields) > 0 && !slices.Contains(tq.ctx.Fields, thread.FieldVisitorID) {
				tq.ctx.Fields = append(slices.Clip(tq.ctx.Fields), thread.FieldVisitorID)
			}
			v, err := next.Query(ctx, q)
			if err != nil {
				return v, err
			}
			if nodes, ok := v.([]*Thread); ok {
				for _, n := range nodes {
					if err := n.assignJoinedVisitor(cols, tq.config, edge); err != nil {
						return nil, err
					}
				}
			}
			return v, nil
		})
	}))
	return _q
}

// joinableVisitors runs the visitor query's privacy policy and
// interceptors and returns the user columns to join, or nil when the
// query is more than a plain read of users by id.
func joinableVisitors(ctx context.Context, uq *UserQuery) ([]string, error) {
	if !plainRead(uq) {
		return nil, nil
	}
	if err := uq.prepareQuery(ctx); err != nil {
		return nil, err
	}
	if !plainRead(uq) { // the policy or an interceptor filtered the users
		return nil, nil
	}
	cols := uq.ctx.Fields
	if len(cols) == 0 {
		cols = user.Columns
	}
	if !slices.Contains(cols, user.FieldID) {
		cols = append([]string{user.FieldID}, cols...)
	}
	return cols, nil
}

// plainRead reports whether uq reads users by id and nothing more: every
// field of the query but its configuration and selected columns is empty.
// Reflection, so a field ent adds in a later version counts as "more".
func plainRead(uq *UserQuery) bool {
	rv := reflect.ValueOf(uq).Elem()
	for i := range rv.NumField() {
		name := rv.Type().Field(i).Name
		plain := name == "config" || name == "ctx" || name == "inters"
		if !plain && !rv.Field(i).IsZero() && (rv.Field(i).Kind() != reflect.Slice && rv.Field(i).Kind() != reflect.Map || rv.Field(i).Len() > 0) {
			return false // predicates, order, eager loads, modifiers, ...
		}
	}
	return uq.ctx.Limit == nil && uq.ctx.Offset == nil && uq.path == nil && uq.sql == nil
}

// assignJoinedVisitor builds the thread's visitor from the joined columns
// (all NULL: no visitor, as for a GROUP thread).
func (_m *Thread) assignJoinedVisitor(cols []string, cfg config, edge int) error {
	u := &User{config: cfg}
	values, err := u.scanValues(cols)
	if err != nil {
		return err
	}
	found := false
	for i, c := range cols {
		raw, err := _m.Value(visitorJoinPrefix + c)
		if err != nil {
			return fmt.Errorf("ent: joined visitor column %s: %w", c, err)
		}
		if p, ok := raw.(*sql.UnknownType); ok {
			raw = *p
		}
		delete(_m.selectValues, visitorJoinPrefix+c)
		if c == user.FieldID && raw != nil {
			found = true
		}
		if err := scanInto(values[i], raw); err != nil {
			return fmt.Errorf("ent: joined visitor column %s: %w", c, err)
		}
	}
	if !found {
		_m.Edges.Visitor = nil
		_m.Edges.loadedTypes[edge] = true
		return nil
	}
	if err := u.assignValues(cols, values); err != nil {
		return err
	}
	_m.Edges.Visitor = u
	_m.Edges.loadedTypes[edge] = true
	return nil
}

// scanInto stores a driver value in one of scanValues' destinations.
func scanInto(dst, raw any) error {
	if t, ok := dst.(*sql.NullTime); ok {
		if str, ok := textOf(raw); ok {
			return t.Scan(parseSQLiteTime(str))
		}
	}
	if s, ok := dst.(interface{ Scan(any) error }); ok {
		return s.Scan(raw)
	}
	switch d := dst.(type) {
	case *sql.UnknownType:
		*d = raw
		return nil
	case *[]byte:
		switch r := raw.(type) {
		case nil:
			*d = nil
		case []byte:
			*d = slices.Clone(r)
		case string:
			*d = []byte(r)
		default:
			return fmt.Errorf("cannot store %T in []byte", raw)
		}
		return nil
	}
	return fmt.Errorf("cannot store %T in %T", raw, dst)
}

// textOf returns raw as a string when the driver gave text.
func textOf(raw any) (string, bool) {
	switch r := raw.(type) {
	case string:
		return r, true
	case []byte:
		return string(r), true
	}
	return "", false
}

// sqliteTimeLayouts are the layouts SQLite stores times in (its date and
// time functions' formats 1-7, as modernc.org/sqlite parses them). That
// driver turns such text into time.Time only for a column it can trace
// to a declared DATETIME, which a joined, aliased column is not.
var sqliteTimeLayouts = [...]string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseSQLiteTime returns the time in s, or s itself (Scan then says
// why it cannot be stored) when no layout fits.
func parseSQLiteTime(s string) any {
	s = strings.TrimSuffix(s, "Z")
	for _, l := range sqliteTimeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t
		}
	}
	return s
}

// visitorEdgeIndex is the index of the visitor edge in Thread's
// loadedTypes: the position ThreadEdges.VisitorOrErr checks, found by
// name so a schema change cannot silently shift it.
func visitorEdgeIndex() int {
	t := reflect.TypeOf(ThreadEdges{})
	n := 0
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "loadedTypes" || f.Name == "totalCount" || strings.HasPrefix(f.Name, "named") {
			continue
		}
		if f.Name == "Visitor" {
			return n
		}
		n++
	}
	panic("ent: ThreadEdges has no Visitor")
}
