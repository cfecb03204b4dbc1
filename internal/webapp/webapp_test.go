package webapp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Result()
}

// The app's own routes all answer with index.html (the router runs in the
// browser), and the scripts index.html loads are served with long caching.
func TestServesAppRoutesAndAssets(t *testing.T) {
	h := Handler()
	var index string
	for _, p := range []string{"/app/", "/app/pages/acme", "/app/pages/acme/inbox", "/app/pages/acme/settings"} {
		res := get(t, h, p)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.Contains(string(body), `<div id="root">`) {
			t.Fatalf("%s: not the app's index.html: %.200s", p, body)
		}
		index = string(body)
	}
	scripts := regexp.MustCompile(`(?:src|href)="(/app/assets/[^"]+)"`).FindAllStringSubmatch(index, -1)
	if len(scripts) == 0 {
		t.Fatalf("index.html loads no assets from /app/assets/: %s", index)
	}
	for _, s := range scripts {
		res := get(t, h, s[1])
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("%s: %d, Cache-Control %q", s[1], res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
	if res := get(t, h, "/app/assets/gone-123.js"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("missing asset: %d, want 404", res.StatusCode)
	}
}
