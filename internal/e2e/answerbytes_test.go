package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"pageinbox/internal/apptest"
)

// TestAnswerIsPlainJSONWithNosniff: a successful answer is exactly
// {"data": ...} and a newline, marked nosniff so no browser reads it as
// HTML; text with markup in it comes back unchanged when parsed.
func TestAnswerIsPlainJSONWithNosniff(t *testing.T) {
	s := apptest.Start(t, apptest.SQLite)
	c := s.StartConversation("bytes")
	const markup = `<script>alert("x")</script> & more`
	s.SendIn(c.Visitor, c.ThreadID, markup).OK()
	body, _ := json.Marshal(map[string]any{
		"query":     `query($t: ID!) { node(id: $t) { ... on Thread { messages(last: 1) { edges { node { body } } } } } }`,
		"variables": map[string]any{"t": c.ThreadID},
	})
	req, _ := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Owner.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("headers: %v", res.Header)
	}
	if !bytes.HasPrefix(raw, []byte(`{"data":{`)) || !bytes.HasSuffix(raw, []byte("}}\n")) || !json.Valid(raw) {
		t.Fatalf("answer: %q", raw)
	}
	var out struct {
		Data struct {
			Node struct {
				Messages struct {
					Edges []struct{ Node struct{ Body string } }
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Data.Node.Messages.Edges) != 1 || out.Data.Node.Messages.Edges[0].Node.Body != markup {
		t.Fatalf("the body did not come back unchanged: %v %s", err, raw)
	}
}
