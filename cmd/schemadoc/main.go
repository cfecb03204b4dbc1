// Command schemadoc writes the served GraphQL schema - what clients see
// through introspection, with every description - to a file. go generate
// runs it to keep docs/schema.graphql, the API reference in the
// repository, in step with the code.
package main

import (
	"bytes"
	"log"
	"os"

	"pageinbox/graph"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: schemadoc <output file>")
	}
	var b bytes.Buffer
	graph.WriteSchema(&b)
	if err := os.WriteFile(os.Args[1], b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
