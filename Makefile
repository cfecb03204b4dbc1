# pageinbox developer commands. `make test` runs every test on SQLite and,
# when it answers (or PAGEINBOX_TEST_DATABASE_URL names one), on PostgreSQL,
# then prints what ran and what was skipped and why (scripts/test).

.PHONY: run generate test vet bench ci

run:
	go run .

# ent (client + ent.graphql), then gqlgen (graph/).
generate:
	go generate ./...

vet:
	go vet ./...

test:
	./scripts/test

bench:
	go run ./cmd/bench

ci:
	./.ci/run
