// Package e2e holds the end-to-end tests: one file per user story, each
// test running against a real server (internal/apptest) on SQLite and on
// PostgreSQL, over HTTP and websockets, as clients use it.
package e2e
