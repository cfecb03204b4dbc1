// Package webapp serves the browser app (web/, built by Vite into dist/)
// at /app/. The bundle is generated code: `make web` rebuilds it and CI
// fails when the committed copy differs from a clean build, so `go run .`
// serves the app with no Node.js on the machine.
//
// Every path under /app/ that is not a file is the single-page app's own
// route (/app/pages/<handle>, /app/pages/<handle>/inbox ...), so it gets
// index.html and the app's router takes over. The one exception is the
// service worker, /app/sw.js (web/public/sw.js), which shows Web Push
// notifications: a browser registers it only when it is served as
// JavaScript, and it must not be cached for long so that a new version
// reaches devices.
package webapp

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Prefix is where the app is mounted; Vite's `base` must match.
const Prefix = "/app/"

// ServiceWorker is the service worker's file in dist (from web/public).
const ServiceWorker = "sw.js"

// Handler serves the app under Prefix.
func Handler() http.Handler {
	files, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees dist exists
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic("webapp: dist/index.html missing: run `make web`")
	}
	static := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), strings.TrimSuffix(Prefix, "/"))
		name = strings.TrimPrefix(name, "/")
		if strings.HasPrefix(name, "assets/") {
			if _, err := fs.Stat(files, name); err != nil {
				http.NotFound(w, r) // a stale hashed asset: not the app
				return
			}
			// Names carry a content hash: cache them for good.
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + name
			static.ServeHTTP(w, r2)
			return
		}
		if name == ServiceWorker {
			serveServiceWorker(w, r, files)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(index)
	})
}

// serveServiceWorker answers /app/sw.js as JavaScript whose scope may be
// the whole app, revalidated on every check so an update is picked up.
func serveServiceWorker(w http.ResponseWriter, r *http.Request, files fs.FS) {
	body, err := fs.ReadFile(files, ServiceWorker)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", Prefix)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}
