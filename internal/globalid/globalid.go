// Package globalid writes and reads the API's object ids (the GraphQL ID
// scalar, the ids in webhook payloads).
//
// Inside the server an id is ent's universal id: an integer whose range
// names the entity type (FeatureGlobalID). Clients see it as an opaque
// string, the unpadded base64url form of "<Type>:<integer>", the
// convention of graphql-relay's toGlobalId. Clients must not parse it; the
// format may change.
//
// Why not encrypted or signed ids: ids are not secrets, and nothing in
// pageinbox is protected by an id being hard to guess. What a caller may
// see is decided by the privacy rules for every read path (rule 11, rule 28:
// an anonymous caller gets null for every person, whatever the id), so a
// guessed id gives exactly what the caller could already see. A key would
// add a secret to keep, rotate and share between replicas, and ids stored
// by integrations would break when it changed. The opaque form still stops
// clients from depending on the numbers (type ranges, ordering) and lets the
// server refuse ids that were never issued.
package globalid

import (
	"encoding/base64"
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
)

// Encode returns the opaque form of an entity's id.
func Encode(id int) string {
	typ, ok := ent.NodeTypeOf(id)
	if !ok {
		// Not an entity id (cannot happen for ids read from the database);
		// still opaque, and Decode refuses it.
		typ = "Unknown"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + strconv.Itoa(id)))
}

// Decode returns the entity id behind an opaque id. An id that was not made
// by Encode - not base64url, no type, a type that does not own the number -
// is BAD_USER_INPUT. A well-formed id of a row that does not exist (or that
// the caller may not see) decodes; the lookup then finds nothing.
func Decode(s string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return 0, invalid(s)
	}
	typ, num, ok := strings.Cut(string(raw), ":")
	if !ok {
		return 0, invalid(s)
	}
	id, err := strconv.Atoi(num)
	if err != nil || strconv.Itoa(id) != num {
		return 0, invalid(s)
	}
	if owner, ok := ent.NodeTypeOf(id); !ok || owner != typ {
		return 0, invalid(s)
	}
	return id, nil
}

// TypeOf returns the entity type an opaque id names, without looking it up.
func TypeOf(id int) string {
	typ, _ := ent.NodeTypeOf(id)
	return typ
}

func invalid(s string) error {
	const show = 40 // enough to recognise the value, not enough to echo a payload
	if len(s) > show {
		s = s[:show] + "..."
	}
	return apierr.Errorf(apierr.BadUserInput, "%q is not a valid id: use an id exactly as the API returned it", s)
}

// MarshalID writes an id as the GraphQL ID scalar (gqlgen.yml binds ID here).
func MarshalID(id int) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(Encode(id)))
	})
}

// UnmarshalID reads the GraphQL ID scalar. IDs are strings: a JSON number is
// refused like any other id the API never issued.
func UnmarshalID(v any) (int, error) {
	s, ok := v.(string)
	if !ok {
		return 0, apierr.New(apierr.BadUserInput, "an id is a string, exactly as the API returned it")
	}
	return Decode(s)
}
