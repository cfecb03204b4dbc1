//go:build ignore

// Command entc generates the ent client and ent.graphql from ent/schema.
// Run it through `go generate ./...` at the repository root (generate.go).
package main

import (
	"fmt"
	"log"
	"regexp"
	"slices"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("./gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("./ent.graphql"),
		// No generated where-inputs: a generic filter on every field would
		// let a visitor filter messages by the staff member who sent them,
		// which rule 11 hides. Filters are written by hand (ThreadFilter).
		entgql.WithWhereInputs(false),
		entgql.WithSchemaHook(documentSchema),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "pageinbox/ent",
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureEntQL,
			gen.FeatureUpsert,
			gen.FeatureLock,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
			gen.FeatureGlobalID,
			gen.FeatureNamedEdges,
		},
	}, entc.Extensions(ex), entc.TemplateDir("./ent/template"))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}

// documentSchema makes ent.graphql read as API documentation: every type
// described from its schema.Comment annotation, enums from the comment of
// the field they come from instead of entgql's "X is enum for the field
// y", connection fields described from their edge's comment, and no
// ordering inputs that no field takes (OrderField annotations only order
// the server's own pagination).
func documentSchema(g *gen.Graph, s *ast.Schema) error {
	for _, t := range g.Nodes {
		def := s.Types[gqlName(t)]
		if def == nil {
			continue // entgql.Skip
		}
		if c, ok := t.Annotations["Comment"].(map[string]any); ok {
			def.Description, _ = c["Text"].(string)
		}
		// entgql leaves connection fields without the edge's comment.
		for _, e := range t.Edges {
			if f := def.Fields.ForName(lowerCamel(e.Name)); f != nil && f.Description == "" {
				f.Description = e.Comment()
			}
		}
		if id := def.Fields.ForName("id"); id != nil && id.Description == "" {
			id.Description = "Opaque global id: use it in node(id:), nodes(ids:) and inputs exactly as returned; do not parse it."
		}
	}
	boilerplate := regexp.MustCompile(`^\w+ is enum for the field (\w+)$`)
	for _, def := range s.Types {
		m := boilerplate.FindStringSubmatch(def.Description)
		if def.Kind != ast.Enum || m == nil {
			continue
		}
		def.Description = ""
		for _, t := range g.Nodes {
			for _, f := range t.Fields {
				if f.Name == m[1] && f.IsEnum() && f.Comment() != "" && sameValues(f, def) {
					def.Description = f.Comment()
				}
			}
		}
		if def.Description == "" {
			return fmt.Errorf("enum %s: give its field %q a Comment", def.Name, m[1])
		}
	}
	if d := s.Types["Time"]; d != nil {
		d.Description = "An instant, as an RFC 3339 string with a time zone, e.g. \"2026-11-30T16:04:05Z\"."
	}
	if d := s.Types["Cursor"]; d != nil {
		d.Description = "An opaque position in a list (Relay cursor): pass pageInfo.endCursor back as `after` to get the next page."
	}
	// OrderDirection stays: the public contract lists it.
	for name := range s.Types {
		if (strings.HasSuffix(name, "Order") || strings.HasSuffix(name, "OrderField")) && !takenAsArgument(s, name) {
			delete(s.Types, name)
		}
	}
	if d := s.Types["OrderDirection"]; d != nil {
		d.Description = "Ascending or descending order."
	}
	if d := s.Types["Query"]; d != nil {
		d.Description = "What can be read. node and nodes resolve any id; viewer is the signed-in user; pages are public."
	}
	return nil
}

// gqlName is the GraphQL name entgql gives an ent type.
func gqlName(t *gen.Type) string {
	if a, ok := t.Annotations[entgql.Annotation{}.Name()].(map[string]any); ok {
		if n, ok := a["Type"].(string); ok && n != "" {
			return n
		}
	}
	return t.Name
}

func sameValues(f *gen.Field, def *ast.Definition) bool {
	if len(f.Enums) != len(def.EnumValues) {
		return false
	}
	for _, e := range f.Enums {
		if !slices.ContainsFunc(def.EnumValues, func(v *ast.EnumValueDefinition) bool { return v.Name == e.Value }) {
			return false
		}
	}
	return true
}

// takenAsArgument reports whether any field argument (outside the ordering
// inputs themselves) has the named type.
func takenAsArgument(s *ast.Schema, name string) bool {
	for tn, def := range s.Types {
		if strings.HasSuffix(tn, "Order") {
			continue
		}
		for _, f := range def.Fields {
			for _, a := range f.Arguments {
				if a.Type.Name() == name {
					return true
				}
			}
		}
	}
	return false
}

// lowerCamel turns an ent edge name into its GraphQL field name
// ("last_message" -> "lastMessage").
func lowerCamel(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}
