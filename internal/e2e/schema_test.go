package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
)

const introspectDocs = `{ __schema {
	directives { name }
	types { name description
		fields(includeDeprecated: true) { name description }
		inputFields { name description } } } }`

// TestServedSchemaIsDocumented: what a client sees through introspection
// is the API reference. Every type, field and input field has a
// description, no generated boilerplate is left ("X is enum for the field
// y"), and neither the code generator's directives (@goField, @goModel)
// nor ordering inputs that no field takes show.
func TestServedSchemaIsDocumented(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		type field struct{ Name, Description string }
		var out struct {
			Data struct {
				Schema struct {
					Directives []field
					Types      []struct {
						Name, Description   string
						Fields, InputFields []field
					}
				} `json:"__schema"`
			}
		}
		if err := json.Unmarshal(s.Do("", introspectDocs, nil).OK().Raw, &out); err != nil {
			t.Fatal(err)
		}
		for _, d := range out.Data.Schema.Directives {
			if strings.HasPrefix(d.Name, "go") || d.Name == "senderVisibility" {
				t.Errorf("directive @%s is the server's own, not the API's", d.Name)
			}
		}
		for _, typ := range out.Data.Schema.Types {
			if strings.HasPrefix(typ.Name, "__") {
				continue
			}
			switch d := typ.Description; {
			case strings.TrimSpace(d) == "":
				t.Errorf("type %s has no description", typ.Name)
			case strings.Contains(d, "is enum for the field"), strings.HasPrefix(d, "The builtin"):
				t.Errorf("type %s has generated boilerplate for a description: %q", typ.Name, d)
			}
			if strings.HasSuffix(typ.Name, "Order") || strings.HasSuffix(typ.Name, "OrderField") {
				t.Errorf("type %s: an ordering input no field takes", typ.Name)
			}
			for _, f := range append(typ.Fields, typ.InputFields...) {
				if strings.TrimSpace(f.Description) == "" {
					t.Errorf("%s.%s has no description", typ.Name, f.Name)
				}
			}
		}
	})
}
