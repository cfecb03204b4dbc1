// Package model holds the GraphQL input and payload types gqlgen generates
// from schema.graphql (models_gen.go); edit the schema, not the code.
package model
