package app

import (
	"net"
	"path/filepath"
	"testing"
)

// TestStartLogSaysWhereToGo is issue 11 point 10: the first log line of
// `go run .` names the URL to open and where the data lives.
func TestStartLogSaysWhereToGo(t *testing.T) {
	cfg, err := ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]any{}
	f := StartFields(cfg, &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080})
	for i := 0; i+1 < len(f); i += 2 {
		fields[f[i].(string)] = f[i+1]
	}
	abs, _ := filepath.Abs("data")
	if fields["url"] != "http://localhost:8080/" || fields["addr"] != "[::]:8080" || fields["dataDir"] != abs || fields["uploads"] != filepath.Join(abs, "uploads") {
		t.Fatalf("start log fields: %v", fields)
	}
	if _, ok := fields["graphiql"]; !ok {
		t.Fatalf("development start log does not point at GraphiQL: %v", fields)
	}
}
