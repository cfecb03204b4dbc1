# pageinbox developer commands. PostgreSQL tests need
# PAGEINBOX_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable);
# without it they are skipped and only SQLite is tested.

.PHONY: run generate test vet lint bench ci

run:
	go run .

# ent (client + ent.graphql), then gqlgen (graph/).
generate:
	go generate ./...

vet:
	go vet ./...

# golangci-lint (.golangci.yml), built with `go install` at a pinned version
# into GOPATH/bin the first time (a few minutes), reused after.
GOLANGCI_LINT_VERSION := 2.15.0
GOLANGCI_LINT := $(shell go env GOPATH)/bin/golangci-lint

lint:
	@$(GOLANGCI_LINT) version 2>/dev/null | grep -q "version $(GOLANGCI_LINT_VERSION) " || \
		go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$(GOLANGCI_LINT_VERSION)
	$(GOLANGCI_LINT) run --allow-parallel-runners ./...

test:
	go test -race -count=1 -timeout 15m ./...

bench:
	go run ./cmd/bench

ci:
	./.ci/run
