package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestServedSchemaHonoursTheContract checks the served schema (ent.graphql
// + schema.graphql) against the public API contract (a copy in
// testdata/api.graphql): every contract type, field, argument, enum value
// and interface exists with a type contract clients can use - output types
// may be stricter (non-null), inputs looser.
func TestServedSchemaHonoursTheContract(t *testing.T) {
	load := func(files ...string) *ast.Schema {
		var srcs []*ast.Source
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			srcs = append(srcs, &ast.Source{Name: f, Input: string(b)})
		}
		s, err := gqlparser.LoadSchema(srcs...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	contract := load("testdata/api.graphql")
	served := load("../../ent.graphql", "../../schema.graphql")
	for name, ct := range contract.Types {
		if strings.HasPrefix(name, "__") || ct.BuiltIn {
			continue
		}
		st := served.Types[name]
		if st == nil {
			t.Errorf("%s: type missing", name)
			continue
		}
		if st.Kind != ct.Kind {
			t.Errorf("%s: is %s, contract says %s", name, st.Kind, ct.Kind)
			continue
		}
		for _, v := range ct.EnumValues {
			if st.EnumValues.ForName(v.Name) == nil {
				t.Errorf("%s.%s: enum value missing", name, v.Name)
			}
		}
		for _, i := range ct.Interfaces {
			if !contains(st.Interfaces, i) {
				t.Errorf("%s: does not implement %s", name, i)
			}
		}
		for _, cf := range ct.Fields {
			sf := st.Fields.ForName(cf.Name)
			if sf == nil {
				t.Errorf("%s.%s: field missing", name, cf.Name)
				continue
			}
			input := ct.Kind == ast.InputObject
			if !compatible(cf.Type, sf.Type, input) {
				t.Errorf("%s.%s: type %s, contract says %s", name, cf.Name, sf.Type, cf.Type)
			}
			for _, ca := range cf.Arguments {
				sa := sf.Arguments.ForName(ca.Name)
				if sa == nil {
					t.Errorf("%s.%s(%s): argument missing", name, cf.Name, ca.Name)
				} else if !compatible(ca.Type, sa.Type, true) {
					t.Errorf("%s.%s(%s): type %s, contract says %s", name, cf.Name, ca.Name, sa.Type, ca.Type)
				}
			}
			for _, sa := range sf.Arguments {
				if cf.Arguments.ForName(sa.Name) == nil && sa.Type.NonNull && sa.DefaultValue == nil {
					t.Errorf("%s.%s(%s): extra required argument", name, cf.Name, sa.Name)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// compatible: outputs may be non-null where the contract is nullable;
// inputs may be nullable where the contract is non-null.
func compatible(contract, served *ast.Type, input bool) bool {
	if contract.NonNull != served.NonNull {
		if input && !served.NonNull {
			// looser input: fine
		} else if !input && served.NonNull {
			// stricter output: fine
		} else {
			return false
		}
	}
	if (contract.Elem == nil) != (served.Elem == nil) {
		return false
	}
	if contract.Elem != nil {
		return compatible(contract.Elem, served.Elem, input)
	}
	return contract.NamedType == served.NamedType
}
