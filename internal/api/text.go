package api

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

// No text the API takes may contain NUL: PostgreSQL cannot store it (its
// driver fails, which would surface as INTERNAL) while SQLite would, so the
// two databases would disagree. It is refused for every argument and
// variable, before anything runs, on both.

func nulError() *gqlerror.Error {
	return &gqlerror.Error{
		Message:    `text cannot contain the NUL character (\u0000)`,
		Extensions: map[string]any{"code": string(apierr.BadUserInput)},
	}
}

// checkText looks through decoded variables.
func checkText(v any) *gqlerror.Error {
	switch x := v.(type) {
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return nulError()
		}
	case map[string]any:
		for k, e := range x {
			if strings.IndexByte(k, 0) >= 0 {
				return nulError()
			}
			if err := checkText(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range x {
			if err := checkText(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkArguments looks through a field's literal arguments (variables are
// checked once, by checkText).
func checkArguments(args ast.ArgumentList) *gqlerror.Error {
	for _, a := range args {
		if err := checkLiteral(a.Value); err != nil {
			return err
		}
	}
	return nil
}

func checkLiteral(v *ast.Value) *gqlerror.Error {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		if strings.IndexByte(v.Raw, 0) >= 0 {
			return nulError()
		}
	case ast.ListValue, ast.ObjectValue:
		for _, c := range v.Children {
			if err := checkLiteral(c.Value); err != nil {
				return err
			}
		}
	}
	return nil
}
