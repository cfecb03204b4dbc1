package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"

	"pageinbox/internal/rule"
)

// SigningKey is the server's key for signed file URLs. It lives in the
// database so every replica signs and checks with the same key.
type SigningKey struct {
	ent.Schema
}

// Fields of the SigningKey.
func (SigningKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").Unique().Immutable(),
		field.Bytes("key").Sensitive().Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

// Annotations of the SigningKey.
func (SigningKey) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip()}
}

// Policy of the SigningKey: the server's own.
func (SigningKey) Policy() ent.Policy {
	return rule.Policy(rule.AllowFor(rule.SigningKey), rule.DenyQuery())
}
