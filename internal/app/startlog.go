package app

import (
	"net"
	"net/url"
	"path/filepath"
	"strconv"
)

// StartFields are the attributes of the "pageinbox listening" log line:
// what a person who just ran `go run .` needs - the address to open
// (GraphiQL there in development) and, with SQLite, where the database and
// the uploaded files are (dataDir: the SQLite database and uploads/);
// and, for scripts that start the server on port 0, the address it bound.
func StartFields(cfg Config, addr net.Addr) []any {
	base := "http://" + browsable(addr)
	fields := []any{"addr", addr.String(), "url", base + "/", "graphql", base + "/query", "production", cfg.Production}
	if !cfg.Production {
		fields = append(fields, "graphiql", base+"/ (no header needed to start: run the signUp tab)")
	}
	dir, err := filepath.Abs(dataDir(cfg))
	if err != nil {
		dir = dataDir(cfg)
	}
	store := "sqlite (in dataDir)"
	if cfg.DatabaseURL != "" {
		store = "postgres"
	}
	fields = append(fields, "store", store, "eventBus", eventBus(cfg))
	return append(fields, "dataDir", dir, "uploads", filepath.Join(dir, "uploads"))
}

// eventBus names the bus replicas share events on (a NATS URL without its
// credentials).
func eventBus(cfg Config) string {
	switch {
	case cfg.EventBus != "":
		if u, err := url.Parse(cfg.EventBus); err == nil {
			return "nats jetstream " + u.Redacted()
		}
		return "nats jetstream"
	case cfg.DatabaseURL != "":
		return "postgres listen/notify"
	default:
		return "in-process"
	}
}

// browsable turns a listening address into one a browser on this machine
// can open: ":8080" and "[::]:8080" become "localhost:8080".
func browsable(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return addr.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() || tcp.IP.IsLoopback() {
		return "localhost:" + strconv.Itoa(tcp.Port)
	}
	return addr.String()
}
