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

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqlgraph"

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
			if qc := ent.QueryFromContext(ctx); !ok || tq.withVisitor == nil || qc == nil || qc.Op != ent.OpQueryAll {
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
			if len(tq.ctx.Fields) > 0 && !slices.Contains(tq.ctx.Fields, thread.FieldVisitorID) {
				tq.ctx.Fields = append(slices.Clip(tq.ctx.Fields), thread.FieldVisitorID)
			}
			// This interceptor is the innermost (appended last), so
			// running the query here is what next would do, plus the
			// hook: the join, and typed destinations for its columns
			// (left to ent, unknown columns cost a driver column-type
			// lookup per row and column).
			nodes, err := tq.sqlAll(ctx, func(_ context.Context, spec *sqlgraph.QuerySpec) {
				spec.Modifiers = append(slices.Clip(spec.Modifiers), func(s *sql.Selector) {
					u := sql.Table(user.Table).As("visitor_join")
					s.LeftJoin(u).On(s.C(thread.FieldVisitorID), u.C(user.FieldID))
					for _, c := range cols {
						s.AppendSelect(sql.As(u.C(c), visitorJoinPrefix+c))
					}
				})
				scan := spec.ScanValues
				var joined map[int]func() any // column position -> destination, from the first row
				spec.ScanValues = func(columns []string) ([]any, error) {
					values, err := scan(columns)
					if err != nil {
						return nil, err
					}
					if joined == nil {
						if joined, err = joinedDestinations(columns); err != nil {
							return nil, err
						}
					}
					for i, dst := range joined {
						values[i] = dst()
					}
					return values, nil
				}
			})
			if err != nil {
				return nil, err
			}
			for _, n := range nodes {
				if err := n.assignJoinedVisitor(cols, tq.config, edge); err != nil {
					return nil, err
				}
			}
			return nodes, nil
		})
	}))
	return _q
}

// joinedDestinations maps the position of each joined user column among
// columns to a maker of what it is scanned into: the type User scans the
// column into, except that a time also accepts SQLite's text.
func joinedDestinations(columns []string) (map[int]func() any, error) {
	out := map[int]func() any{}
	for i, c := range columns {
		name, ok := strings.CutPrefix(c, visitorJoinPrefix)
		if !ok {
			continue
		}
		v, err := (*User).scanValues(nil, []string{name})
		if err != nil {
			return nil, err
		}
		switch v[0].(type) {
		case *sql.NullInt64:
			out[i] = func() any { return new(sql.NullInt64) }
		case *sql.NullString:
			out[i] = func() any { return new(sql.NullString) }
		case *sql.NullTime:
			out[i] = func() any { return new(textTime) }
		case *sql.NullBool:
			out[i] = func() any { return new(sql.NullBool) }
		case *sql.NullFloat64:
			out[i] = func() any { return new(sql.NullFloat64) }
		case *[]byte:
			out[i] = func() any { return new([]byte) }
		default:
			return nil, fmt.Errorf("ent: joined visitor column %s: no destination for %T", name, v[0])
		}
	}
	return out, nil
}

// textTime scans a time, or a time SQLite returned as text: modernc.org/
// sqlite converts text to time.Time only for a column it can trace to a
// declared DATETIME, which a joined, aliased column is not.
type textTime struct{ sql.NullTime }

// Scan implements sql.Scanner.
func (t *textTime) Scan(v any) error {
	if s, ok := textOf(v); ok {
		return t.NullTime.Scan(parseSQLiteTime(s))
	}
	return t.NullTime.Scan(v)
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
// (a NULL id: no visitor, as for a GROUP thread).
func (_m *Thread) assignJoinedVisitor(cols []string, cfg config, edge int) error {
	values := make([]any, len(cols))
	found := false
	for i, c := range cols {
		v := _m.selectValues[visitorJoinPrefix+c]
		delete(_m.selectValues, visitorJoinPrefix+c)
		if t, ok := v.(*textTime); ok {
			v = &t.NullTime
		}
		if id, ok := v.(*sql.NullInt64); ok && c == user.FieldID {
			found = id.Valid
		}
		if v == nil {
			return fmt.Errorf("ent: joined visitor column %s missing", c)
		}
		values[i] = v
	}
	_m.Edges.loadedTypes[edge] = true
	if !found {
		_m.Edges.Visitor = nil
		return nil
	}
	u := &User{config: cfg}
	if err := u.assignValues(cols, values); err != nil {
		return err
	}
	_m.Edges.Visitor = u
	return nil
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
