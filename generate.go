package main

// Code generation, in order: ent (client, ent.graphql), then gqlgen (graph/).
// CI regenerates and fails when the committed output differs.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod github.com/99designs/gqlgen generate
