# pageinbox developer commands. PostgreSQL tests need
# PAGEINBOX_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable);
# without it they are skipped and only SQLite is tested.

.PHONY: run generate test vet bench ci web test-web

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
