package webapp

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// get answers path from h; the recorder holds the whole answer, so there
// is no body to close.
func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// The app's own routes all answer with index.html (the router runs in the
// browser), and the scripts index.html loads are served with long caching.
func TestServesAppRoutesAndAssets(t *testing.T) {
	h := Handler()
	var index string
	for _, p := range []string{"/app/", "/app/pages/acme", "/app/pages/acme/inbox", "/app/pages/acme/settings"} {
		res := get(t, h, p)
		body := res.Body.Bytes()
		if res.Code != http.StatusOK || !strings.Contains(res.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s", p, res.Code, res.Header().Get("Content-Type"))
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
		if res.Code != http.StatusOK || !strings.Contains(res.Header().Get("Cache-Control"), "immutable") {
			t.Fatalf("%s: %d, Cache-Control %q", s[1], res.Code, res.Header().Get("Cache-Control"))
		}
	}
	if res := get(t, h, "/app/assets/gone-123.js"); res.Code != http.StatusNotFound {
		t.Fatalf("missing asset: %d, want 404", res.Code)
	}
}
