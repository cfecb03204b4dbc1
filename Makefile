# pageinbox developer commands. `make test` runs every test on SQLite and,
# when it answers (or PAGEINBOX_TEST_DATABASE_URL names one), on PostgreSQL,
# then prints what ran and what was skipped and why (scripts/test).

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
	./scripts/test

bench:
	go run ./cmd/bench

ci:
	./.ci/run
