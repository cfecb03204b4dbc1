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

// The service worker that shows push notifications is served as
// JavaScript (a browser refuses to register anything else), not as the
// app's index.html, with the app as its allowed scope and no long caching.
func TestServesServiceWorkerAsJavaScript(t *testing.T) {
	res := get(t, Handler(), "/app/sw.js")
	if res.Code != http.StatusOK {
		t.Fatalf("/app/sw.js: %d", res.Code)
	}
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Fatalf("/app/sw.js Content-Type %q, want text/javascript", ct)
	}
	if got := res.Header().Get("Service-Worker-Allowed"); got != Prefix {
		t.Fatalf("Service-Worker-Allowed %q, want %q", got, Prefix)
	}
	if cc := res.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Fatalf("Cache-Control %q, want no-cache", cc)
	}
	body := res.Body.String()
	if strings.Contains(body, `<div id="root">`) || !strings.Contains(body, "addEventListener('push'") {
		t.Fatalf("/app/sw.js is not the service worker: %.200s", body)
	}
}
