package main

// Code generation, in order: ent (client, ent.graphql), then gqlgen (graph/),
// then the API reference docs/schema.graphql from the served schema.
// CI regenerates and fails when the committed output differs.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod ./cmd/gqlgen
//go:generate go run ./cmd/schemadoc docs/schema.graphql
