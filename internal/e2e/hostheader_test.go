package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
)

// TestLinksIgnoreTheRequestHost is rule 31: a caller who forges Host and
// X-Forwarded-Proto cannot make the server hand out links to the caller's
// own host - neither in the API nor in the webhook payloads the page's CRM
// receives. Without PAGEINBOX_PUBLIC_URL links are relative; with it they
// start with it.
func TestLinksIgnoreTheRequestHost(t *testing.T) {
	const evil = "evil.example"
	forge := func(req *http.Request) *http.Request {
		req.Host = evil
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-Host", evil)
		return req
	}
	for _, public := range []string{"", "https://inbox.example.com"} {
		t.Run("public="+public, func(t *testing.T) {
			apptest.Each(t, func(t *testing.T, b apptest.Backend) {
				s := apptest.Start(t, b, apptest.WithWebhookTargets(), apptest.WithPublicURL(public))
				owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
				page := s.CreatePage(owner, "hosts")
				rec := apptest.NewReceiver(t)
				register(t, s, owner, page, rec.URL, "MESSAGE_CREATED")
				r := s.Send(forge(s.UploadRequest(visitor.Token, sendFiles, fileInput(page, "IMAGE"), map[string]apptest.File{
					"variables.i.attachments.0.file": {Name: "cat.png", Content: pngBytes},
				}))).OK()
				check := func(where, link string) {
					t.Helper()
					if strings.Contains(link, evil) || !strings.HasPrefix(link, public+"/files/") {
						t.Fatalf("%s: link %q, want it to start with %q", where, link, public+"/files/")
					}
				}
				check("send answer", r.String("sendMessageToPage.message.attachments.0.url"))
				body, _ := json.Marshal(map[string]any{"query": `query($id: ID!) { node(id: $id) { ... on Message { attachments { url } } } }`,
					"variables": apptest.Vars{"id": r.String("sendMessageToPage.message.id")}})
				req, _ := http.NewRequest(http.MethodPost, s.URL, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+owner.Token)
				check("staff read", s.Send(forge(req)).OK().String("node.attachments.0.url"))
				got := rec.Wait(t, 1)
				var env struct {
					Data struct {
						Message struct {
							Attachments []struct {
								URL string `json:"url"`
							} `json:"attachments"`
						} `json:"message"`
					} `json:"data"`
				}
				if err := json.Unmarshal(got[0].Body, &env); err != nil || len(env.Data.Message.Attachments) != 1 {
					t.Fatalf("payload %s: %v", got[0].Body, err)
				}
				check("webhook payload", env.Data.Message.Attachments[0].URL)
			})
		})
	}
}
