# pageinbox developer commands. PostgreSQL tests need
# PAGEINBOX_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable);
# without it they are skipped and only SQLite is tested.

.PHONY: run generate test vet bench ci

run:
	go run .

# ent (client + ent.graphql), then gqlgen (graph/).
generate:
	go generate ./...

vet:
	go vet ./...

test:
	go test -race -count=1 -timeout 15m ./...

bench:
	go run ./cmd/bench

ci:
	./.ci/run
