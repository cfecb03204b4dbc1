package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// RequireNodeClientsEnv, when "1", makes TestRealGraphQLClients fail
// instead of skipping when node or the clients' packages are missing
// (.ci/run installs them with npm ci and sets it).
const RequireNodeClientsEnv = "PAGEINBOX_REQUIRE_NODE_CLIENTS"

// TestRealGraphQLClients runs the JavaScript clients single-page and
// mobile apps use - graphql-ws and subscriptions-transport-ws - against
// the server: the replay, a live message, on each protocol.
func TestRealGraphQLClients(t *testing.T) {
	dir, _ := filepath.Abs("testdata/nodeclients")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "graphql-ws"))
	}
	if err != nil {
		if os.Getenv(RequireNodeClientsEnv) == "1" {
			t.Fatalf("node clients required: %v (run npm ci in %s)", err, dir)
		}
		t.Skipf("node clients not installed: %v (npm ci --prefix %s)", err, dir)
	}
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("nodeclients")
	url := "ws" + strings.TrimPrefix(s.URL, "http")
	for i, script := range []string{"transport-ws.mjs", "legacy.cjs"} {
		after := strconv.Itoa(i) // replay exactly the last message
		t.Run(script, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, script, url, c.Visitor.Token, c.ThreadID, after)
			cmd.Dir = dir
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(out)
			var got []string
			for len(got) < 2 && lines.Scan() {
				got = append(got, lines.Text())
				if len(got) == 1 {
					// The replay arrived: now a live message.
					s.SendIn(c.Owner, c.ThreadID, "live from "+script).OK()
				}
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("%s: %v\n%s", script, err, stderr.String())
			}
			if len(got) != 2 || !strings.Contains(got[0], `"seq":`+strconv.Itoa(i+1)) || !strings.Contains(got[1], "live from "+script) {
				t.Fatalf("%s printed %q\n%s", script, got, stderr.String())
			}
		})
	}
}
