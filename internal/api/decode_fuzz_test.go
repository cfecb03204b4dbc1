package api

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/apierr"
)

// FuzzDecodeIDAndCursor: what clients send as an ID or a cursor either
// decodes (and a cursor encodes back to what it decoded) or is refused
// with BAD_USER_INPUT and a message without Go's parser text.
func FuzzDecodeIDAndCursor(f *testing.F) {
	pres := presenter{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, s := range []string{"1", "0", "-1", "abc", "25769803777", "99999999999999999999", "", " 1", "gaFp0wAAAAIAAAAB", "gqFpzgAAAAE=", "%%%", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := graphql.UnmarshalIntID(s); err != nil {
			out := pres.present(context.Background(), gqlerror.WrapPath(nil, err))
			if out.Extensions["code"] != string(apierr.BadUserInput) || out.Message == "" || strings.Contains(out.Message, "strconv") {
				t.Fatalf("id %q: %+v", s, out)
			}
		}
		var c entgql.Cursor[int]
		if err := c.UnmarshalGQL(s); err != nil {
			out := pres.present(context.Background(), gqlerror.WrapPath(nil, err))
			if out.Extensions["code"] != string(apierr.BadUserInput) || out.Message == "" {
				t.Fatalf("cursor %q: %+v", s, out)
			}
			return
		}
		var b strings.Builder
		c.MarshalGQL(&b)
		var again entgql.Cursor[int]
		if err := again.UnmarshalGQL(strings.Trim(b.String(), `"`)); err != nil || again.ID != c.ID {
			t.Fatalf("cursor %q: decoded %+v, re-encoded %s, decoded again %+v (%v)", s, c, b.String(), again, err)
		}
	})
}
