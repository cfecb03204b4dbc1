package graph

import (
	"bytes"
	"os"
	"testing"
)

// TestSchemaReferenceIsCurrent: docs/schema.graphql, the API reference in
// the repository, is what the server serves (run go generate ./... after
// changing the schema).
func TestSchemaReferenceIsCurrent(t *testing.T) {
	var b bytes.Buffer
	WriteSchema(&b)
	doc, err := os.ReadFile("../docs/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, b.Bytes()) {
		t.Fatal("docs/schema.graphql differs from the served schema: run go generate ./...")
	}
	for _, noise := range []string{"@goField", "@goModel", "@senderVisibility", "is enum for the field"} {
		if bytes.Contains(doc, []byte(noise)) {
			t.Errorf("docs/schema.graphql shows %s", noise)
		}
	}
}
