package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

// Limits bound what one operation may ask for, checked before it runs
// (rules 23 and 29): the document's size in parser tokens, nesting depth,
// aliases, a complexity score in which a connection's children count once
// per requested item (and nodes(ids:) once per id), page sizes, and the
// errors one response may carry. 0 turns a bound off.
type Limits struct {
	MaxDepth        int
	MaxComplexity   int
	DefaultPageSize int
	MaxPageSize     int
	// MaxTokens caps the parser's tokens per document: a 1 MiB body of
	// `@x @x ...` is refused after MaxTokens tokens instead of being
	// parsed and validated into hundreds of thousands of errors.
	MaxTokens int
	// MaxAliases caps the aliased fields of an operation (fragments
	// counted where they are spread): thousands of aliases of one costly
	// root field would otherwise each run.
	MaxAliases int
	// MaxErrors caps the errors of one response; past it one
	// LIMIT_EXCEEDED error says the rest were left out.
	MaxErrors int
	// Introspection allows __schema and __type (development). Refused
	// introspection is the client's error, never logged as the server's.
	Introspection bool

	// Parsed operations are cached and shared between requests; the one
	// change the walk makes to a document (adding a default `first`)
	// happens under this lock, on the document's first walk, before any
	// request executes it.
	mu *sync.Mutex
}

// DefaultLimits fit every query the product's clients make with room to
// spare (an inbox of 50 threads with their last message scores ~1,000).
// The document bounds follow Apollo Router's defaults (15,000 parser
// tokens) and the OWASP GraphQL cheat sheet.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 15, MaxComplexity: 20_000, DefaultPageSize: 20, MaxPageSize: 100,
		MaxTokens: 15_000, MaxAliases: 50, MaxErrors: 100}
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

// ExtensionName names the extension for gqlgen.
func (Limits) ExtensionName() string { return "QueryLimits" }

// Validate accepts any schema.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext walks the operation. Connection fields without
// first/last get first: DefaultPageSize written into the operation, so the
// resolvers and entgql's eager loading of nested connections both see a
// bounded page: no list is ever unbounded.
func (l Limits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if l.mu != nil {
		l.mu.Lock()
		defer l.mu.Unlock()
	}
	if oc.Variables == nil {
		oc.Variables = map[string]any{}
	}
	if err := checkText(oc.Variables); err != nil {
		return err
	}
	w := &limitWalker{Limits: l, vars: oc.Variables, frags: oc.Doc.Fragments}
	cost, err := w.selections(oc.Operation.SelectionSet, 1)
	if err != nil {
		return err
	}
	if cost > l.MaxComplexity {
		return tooComplex("the query's complexity %d exceeds the limit of %d", cost, l.MaxComplexity)
	}
	return nil
}

type limitWalker struct {
	Limits
	vars    map[string]any
	frags   ast.FragmentDefinitionList
	spent   int
	aliases int
	schemas int // __schema fields
}

func tooComplex(format string, a ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, a...),
		Extensions: map[string]any{"code": string(apierr.QueryTooComplex)},
	}
}

func badPage(f *ast.Field, format string, a ...any) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    fmt.Sprintf("%s: ", f.Alias) + fmt.Sprintf(format, a...),
		Locations:  []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}},
		Extensions: map[string]any{"code": string(apierr.BadUserInput)},
	}
}

func (w *limitWalker) selections(set ast.SelectionSet, depth int) (int, *gqlerror.Error) {
	total := 0
	for _, sel := range set {
		var (
			cost int
			err  *gqlerror.Error
		)
		switch s := sel.(type) {
		case *ast.Field:
			cost, err = w.field(s, depth)
		case *ast.InlineFragment:
			cost, err = w.selections(s.SelectionSet, depth)
		case *ast.FragmentSpread:
			if def := w.frags.ForName(s.Name); def != nil {
				cost, err = w.selections(def.SelectionSet, depth)
			}
		}
		if err != nil {
			return 0, err
		}
		total += cost
		// Stop early: a query built to explode (fragments spread inside
		// fragments) is refused before walking all of it.
		if total > w.MaxComplexity || w.spent > w.MaxComplexity {
			return 0, tooComplex("the query's complexity exceeds the limit of %d", w.MaxComplexity)
		}
	}
	return total, nil
}

func (w *limitWalker) field(f *ast.Field, depth int) (int, *gqlerror.Error) {
	w.spent++
	if f.Alias != f.Name {
		if w.aliases++; w.MaxAliases > 0 && w.aliases > w.MaxAliases {
			return 0, tooComplex("the query has more than %d aliases", w.MaxAliases)
		}
	}
	if err := checkArguments(f.Arguments); err != nil {
		return 0, err
	}
	switch f.Name {
	case "__schema", "__type":
		if !w.Introspection {
			return 0, &gqlerror.Error{
				Message:    "introspection is turned off on this server",
				Locations:  []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}},
				Extensions: map[string]any{"code": string(apierr.Forbidden)},
			}
		}
		// One schema per document: each __schema walks every type, so
		// aliases of it multiply a large answer (its fields still count
		// below, like any others).
		if f.Name == "__schema" {
			if w.schemas++; w.schemas > 1 {
				return 0, tooComplex("a query may ask for __schema once")
			}
		}
	}
	// Introspection nesting is bounded by the validator's
	// MaxIntrospectionDepth rule instead (GraphiQL's query is deep).
	if depth > w.MaxDepth && !strings.HasPrefix(f.Name, "__") {
		return 0, tooComplex("the query is nested deeper than %d levels", w.MaxDepth)
	}
	mult := 1
	if f.Definition != nil && f.Definition.Arguments.ForName("first") != nil {
		n, err := w.pageSize(f)
		if err != nil {
			return 0, err
		}
		mult = max(n, 1)
	}
	if f.Definition != nil && f.Definition.Arguments.ForName("ids") != nil {
		n, err := w.idCount(f)
		if err != nil {
			return 0, err
		}
		mult = max(n, 1)
	}
	children, err := w.selections(f.SelectionSet, depth+1)
	if err != nil {
		return 0, err
	}
	return 1 + mult*children, nil
}

// pageSize returns the page a connection field asks for, writing the
// default into the operation when it asks for none.
func (w *limitWalker) pageSize(f *ast.Field) (int, *gqlerror.Error) {
	size := -1
	for _, name := range []string{"first", "last"} {
		arg := f.Arguments.ForName(name)
		if arg == nil {
			continue
		}
		v, err := arg.Value.Value(w.vars)
		if err != nil {
			return 0, badPage(f, "%s: %v", name, err)
		}
		n, ok, perr := intValue(v)
		if perr != nil {
			return 0, badPage(f, "%s must be an integer", name)
		}
		if !ok {
			continue // null
		}
		if n < 0 {
			return 0, badPage(f, "%s cannot be negative", name)
		}
		if n > w.MaxPageSize {
			return 0, badPage(f, "%s is %d; at most %d items per page", name, n, w.MaxPageSize)
		}
		size = max(size, n)
	}
	if size >= 0 {
		return size, nil
	}
	if arg := f.Arguments.ForName("first"); arg != nil {
		if arg.Value.Kind == ast.Variable {
			// A null variable: the default goes into this request's
			// variables, never into the shared document.
			w.vars[arg.Value.Raw] = int64(w.DefaultPageSize)
			return w.DefaultPageSize, nil
		}
		return 0, badPage(f, "first: null needs a value; omit it for the default page of %d", w.DefaultPageSize)
	}
	if arg := f.Arguments.ForName("last"); arg != nil && arg.Value.Kind == ast.Variable {
		w.vars[arg.Value.Raw] = int64(w.DefaultPageSize)
		return w.DefaultPageSize, nil
	}
	def := &ast.Value{Kind: ast.IntValue, Raw: strconv.Itoa(w.DefaultPageSize), Position: f.Position}
	f.Arguments = append(f.Arguments, &ast.Argument{Name: "first", Value: def, Position: f.Position})
	return w.DefaultPageSize, nil
}

// idCount returns how many ids a field such as nodes(ids:) asks for: its
// children are resolved once per id.
func (w *limitWalker) idCount(f *ast.Field) (int, *gqlerror.Error) {
	arg := f.Arguments.ForName("ids")
	if arg == nil {
		return 0, nil
	}
	v, err := arg.Value.Value(w.vars)
	if err != nil {
		return 0, badPage(f, "ids: %v", err)
	}
	ids, _ := v.([]any)
	if len(ids) > w.MaxPageSize {
		return 0, badPage(f, "ids has %d items; at most %d per request", len(ids), w.MaxPageSize)
	}
	return len(ids), nil
}

// intValue reads an Int argument as decoded from a literal or variables.
func intValue(v any) (n int, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return 0, false, nil
	case int:
		return x, true, nil
	case int64:
		return int(x), true, nil
	case float64:
		return int(x), true, nil
	case json.Number:
		i, err := x.Int64()
		return int(i), err == nil, err
	case string:
		i, err := strconv.Atoi(x)
		return i, err == nil, err
	}
	return 0, false, fmt.Errorf("unexpected %T", v)
}
