package graph

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestInlineThreadFieldsMatchGenerated keeps graph/inline.go and
// cmd/gqlgen in step: a Thread field resolves in line in generated.go
// exactly when marshalThreadEdges counts it as needing no database read.
// If cmd/gqlgen inlined a field this list does not know, a list asking for
// it would lose its concurrency for nothing; if this list named a field
// generated.go still resolves concurrently, a list would run its reads one
// after another.
func TestInlineThreadFieldsMatchGenerated(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	start := strings.Index(s, "func (ec *executionContext) _Thread(ctx context.Context")
	if start < 0 {
		t.Fatal("no _Thread in generated.go")
	}
	body := s[start : start+strings.Index(s[start:], "\n}\n")]
	cases := regexp.MustCompile(`(?m)^\t\tcase "([A-Za-z_]+)":$`).FindAllStringSubmatchIndex(body, -1)
	if len(cases) < 10 {
		t.Fatalf("found %d cases in _Thread", len(cases))
	}
	for i, c := range cases {
		name := body[c[2]:c[3]]
		end := len(body)
		if i+1 < len(cases) {
			end = cases[i+1][0]
		}
		concurrent := strings.Contains(body[c[1]:end], "\tout.Concurrently(i,")
		if concurrent == inlineThreadFields[name] {
			t.Errorf("Thread.%s: resolves concurrently in generated.go = %v, inlineThreadFields says inline = %v", name, concurrent, inlineThreadFields[name])
		}
	}
}
