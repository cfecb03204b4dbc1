// Command gqlgen runs gqlgen's generator (gqlgen.yml) and then makes the
// inbox list resolve without a goroutine per value.
//
// gqlgen resolves every field that has a resolver or takes a context on a
// goroutine of its own, and marshals every element of a list of objects on
// its own goroutine. For the staff inbox (50 threads, each with a handful
// of viewer-dependent fields that read only the thread row and the
// viewer's cached roles) that is about 150 goroutines per request, whose
// creation and stack growth cost more than the fields themselves.
//
// So, after generating, this command rewrites graph/generated.go (and,
// in every object, builds the response path for @defer only when the
// object has a deferred group: see deferTail):
//   - the Thread fields listed in inlineThreadFields are resolved in line
//     instead of through FieldSet.Concurrently;
//   - a list of ThreadEdge is marshalled by marshalThreadEdges
//     (graph/inline.go), which marshals in line when the selection under
//     each node holds only such fields and concurrently otherwise, so a
//     list asking for fields that read the database keeps its parallel
//     reads.
//
// Each rewrite must match exactly once; a gqlgen upgrade that changes the
// generated text fails the generation instead of silently losing it.
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"
)

// inlineThreadFields are the Thread fields with a resolver that never read
// the database when the thread came from an inbox list: they use the
// thread row, the viewer's roles, or an edge the list query loaded. The
// list is mirrored in graph/inline.go (inlineThreadFields there), which a
// test keeps in step.
var inlineThreadFields = []string{
	"unreadCount", "replyWindowEndsAt", "status", "labels",
	"priority", "snoozedUntil", "waitingSince", "visitor",
}

func main() {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		fail(err)
	}
	if err := api.Generate(cfg); err != nil {
		fail(err)
	}
	path := cfg.Exec.Filename
	src, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	out, err := rewrite(src)
	if err != nil {
		fail(fmt.Errorf("%s: %w", path, err))
	}
	if err := os.WriteFile(path, out, 0o644); err != nil { //nolint:gosec // generated source, world-readable like the rest
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gqlgen:", err)
	os.Exit(1)
}

const (
	threadFunc  = "func (ec *executionContext) _Thread(ctx context.Context, sel ast.SelectionSet, obj *ent.Thread) graphql.Marshaler {\n"
	concurrent  = "\t\t\tout.Concurrently(i, func(ctx context.Context) graphql.Marshaler { return innerFunc(ctx, out) })\n"
	inline      = "\t\t\tout.Values[i] = innerFunc(ctx, out)\n"
	edgesFunc   = "func (ec *executionContext) marshalOThreadEdge2ᚕᚖpageinboxᚋentᚐThreadEdge(ctx context.Context, sel ast.SelectionSet, v []*ent.ThreadEdge) graphql.Marshaler {\n"
	edgesSlice  = "\tret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {\n"
	edgesInline = "\tret := marshalThreadEdges(ctx, sel, len(v), func(ctx context.Context, i int) graphql.Marshaler {\n"
)

// rewrite applies the two rewrites described in the package comment.
func rewrite(src []byte) ([]byte, error) {
	s := string(src)
	body, start, err := function(s, threadFunc)
	if err != nil {
		return nil, err
	}
	for _, f := range inlineThreadFields {
		c := "\t\tcase \"" + f + "\":\n"
		at := strings.Index(body, c)
		if at < 0 || strings.Count(body, c) != 1 {
			return nil, fmt.Errorf("_Thread: no single case %q", f)
		}
		next := strings.Index(body[at+len(c):], "\t\tcase \"")
		if next < 0 {
			next = len(body) - at - len(c)
		}
		end := at + len(c) + next
		block := body[at:end]
		if strings.Count(block, concurrent) != 1 {
			return nil, fmt.Errorf("_Thread: case %q does not resolve concurrently once", f)
		}
		body = body[:at] + strings.Replace(block, concurrent, inline, 1) + body[end:]
	}
	s = replaceFunction(s, start, body)

	ebody, estart, err := function(s, edgesFunc)
	if err != nil {
		return nil, err
	}
	if strings.Count(ebody, edgesSlice) != 1 {
		return nil, fmt.Errorf("ThreadEdge list marshaller changed shape")
	}
	s = replaceFunction(s, estart, strings.Replace(ebody, edgesSlice, edgesInline, 1))

	for _, typ := range leafObjects {
		if s, err = inlineLeaves(s, typ); err != nil {
			return nil, err
		}
	}

	if n := strings.Count(s, deferTail); n < 10 {
		return nil, fmt.Errorf("found the deferred-group tail %d times", n)
	}
	s = strings.ReplaceAll(s, deferTail, deferTailGuarded)
	return []byte(s), nil
}

// leafObjects are the types of the inbox list whose plain column fields
// inlineLeaves marshals directly.
var leafObjects = []string{"Thread", "ThreadEdge", "User"}

// trivialLeaf matches a field function that resolves a field to a struct
// field of obj and marshals it as a scalar or enum: no resolver, no
// directive, nothing that can fail before the marshaller.
var trivialLeaf = regexp.MustCompile(`\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n` +
	`\t\t\treturn obj\.(\w+), nil\n` +
	`\t\t\},\n` +
	`\t\tnil,\n` +
	`\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v [^\n]+\) graphql\.Marshaler \{\n` +
	`\t\t\treturn ec\.([^\s(]+)\(ctx, selections, v\)\n`)

// inlineLeaves makes the marshaller of object typ write its plain column
// fields (Thread.id, Thread.snippet, User.name, ...) directly, instead of
// through graphql.ResolveField. For such a field ResolveField allocates a
// field context and a context, installs a panic handler, runs the field
// middleware (which only classifies errors: there are none) and boxes the
// value: about a microsecond, 500 times for a 50-thread inbox, a third of
// the request's CPU. What is left is the marshaller itself. (Only an
// error while marshalling, such as a non-null field holding nil, which
// the schema's types rule out, would be reported at the object's path
// rather than the field's.)
func inlineLeaves(s, typ string) (string, error) {
	header := "func (ec *executionContext) _" + typ + "(ctx context.Context, sel ast.SelectionSet, obj *ent." + typ + ") graphql.Marshaler {\n"
	body, start, err := function(s, header)
	if err != nil {
		return "", err
	}
	calls := regexp.MustCompile(`(?m)^\t\t\tout\.Values\[i\] = ec\._` + typ + `_(\w+)\(ctx, field, obj\)$`)
	inlined := 0
	var failure error
	body = calls.ReplaceAllStringFunc(body, func(line string) string {
		name := calls.FindStringSubmatch(line)[1]
		fn, _, err := function(s, "func (ec *executionContext) _"+typ+"_"+name+"(ctx context.Context, field graphql.CollectedField, obj *ent."+typ+") (ret graphql.Marshaler) {\n")
		if err != nil {
			failure = err
			return line
		}
		m := trivialLeaf.FindStringSubmatch(fn)
		if m == nil || strings.Count(fn, "graphql.ResolveField(") != 1 {
			return line // a resolver, or a field of object type: left alone
		}
		inlined++
		return "\t\t\tout.Values[i] = ec." + m[2] + "(ctx, field.Selections, obj." + m[1] + ")"
	})
	if failure != nil {
		return "", failure
	}
	if inlined == 0 {
		return "", fmt.Errorf("_%s: no plain field to inline", typ)
	}
	return replaceFunction(s, start, body), nil
}

// Every object marshaller ends by handing its @defer groups on, building
// the object's response path first: an allocation per path element, for
// every object of every answer (5 % of the inbox's CPU), when almost no
// operation uses @defer. The guard builds it only when there is a group;
// ProcessDeferredGroup returns at once for none anyway.
const (
	deferTail = "\tatomic.AddInt32(&ec.Deferred, int32(min(len(deferLabelToView), math.MaxInt32)))\n\n" +
		"\tec.ProcessDeferredGroup(graphql.DeferredGroup{\n" +
		"\t\tDefers:   deferLabelToView,\n" +
		"\t\tPath:     graphql.GetPath(ctx),\n" +
		"\t\tFieldSet: deferredFieldSet,\n" +
		"\t\tContext:  ctx,\n" +
		"\t})\n"
	deferTailGuarded = "\tif len(deferLabelToView) > 0 {\n" +
		"\t\tatomic.AddInt32(&ec.Deferred, int32(min(len(deferLabelToView), math.MaxInt32)))\n\n" +
		"\t\tec.ProcessDeferredGroup(graphql.DeferredGroup{\n" +
		"\t\t\tDefers:   deferLabelToView,\n" +
		"\t\t\tPath:     graphql.GetPath(ctx),\n" +
		"\t\t\tFieldSet: deferredFieldSet,\n" +
		"\t\t\tContext:  ctx,\n" +
		"\t\t})\n" +
		"\t}\n"
)

// function returns the text of the function that starts with header, up to
// its closing brace, and where it starts.
func function(s, header string) (string, int, error) {
	if strings.Count(s, header) != 1 {
		return "", 0, fmt.Errorf("no single %q", strings.TrimSpace(header))
	}
	start := strings.Index(s, header)
	end := strings.Index(s[start:], "\n}\n")
	if end < 0 {
		return "", 0, fmt.Errorf("unterminated %q", strings.TrimSpace(header))
	}
	return s[start : start+end+3], start, nil
}

// replaceFunction puts body in place of the function starting at start.
func replaceFunction(s string, start int, body string) string {
	end := start + strings.Index(s[start:], "\n}\n") + 3
	var b bytes.Buffer
	b.WriteString(s[:start])
	b.WriteString(body)
	b.WriteString(s[end:])
	return b.String()
}
