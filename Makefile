# pageinbox developer commands. `make test` runs every test on SQLite and,
# when it answers (or PAGEINBOX_TEST_DATABASE_URL names one), on PostgreSQL,
# then prints what ran and what was skipped and why (scripts/test).

.PHONY: run generate test vet lint bench ci web test-web migration

run:
	go run .

# ent (client + ent.graphql), then gqlgen (graph/).
generate:
	go generate ./...

# A versioned migration after a change to ent/schema (run `make generate`
# first): `make migration name=add_x` writes one file pair per dialect
# under internal/store/migrations (commit them). Needs a PostgreSQL server
# where it may create a scratch database (PAGEINBOX_DEV_DATABASE_URL,
# default the local one); `destructive=1` allows dropping columns/indexes.
migration:
	@test -n "$(name)" || { echo 'usage: make migration name=add_x [destructive=1]'; exit 2; }
	go run ./cmd/migration -name $(name) $(if $(destructive),-destructive)

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

# The web app (web/): `make web` rebuilds the bundle that internal/webapp
# embeds (commit it); `make test-web` runs the component tests and the
# browser tests (Debian's chromium, the real server on SQLite, and on
# PostgreSQL when PAGEINBOX_TEST_DATABASE_URL is set).
web/node_modules: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch web/node_modules

web: web/node_modules
	cd web && npm run build

test-web: web/node_modules
	cd web && npm test && npm run test:browser
