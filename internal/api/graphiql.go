package api

import (
	"compress/gzip"
	"embed"
	"io"
	"net/http"
	"path"
	"strings"
)

// GraphiQL 3.8.3 and React 18.3.1 (MIT licensed, see graphiql/LICENSE.*),
// gzipped and embedded so the IDE works with no internet access.
//
//go:embed graphiql/*.gz
var graphiqlAssets embed.FS

const graphiqlPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>pageinbox GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script>
    const SIGN_UP = [
      '# Welcome to pageinbox. Run this (the play button) to create an',
      '# account; the answer\'s token signs you in (see the Me tab).',
      '# Signed up already? logIn(input: {email: ..., password: ...}).',
      '# The Docs pane (book icon, top left) is the API reference.',
      'mutation SignUp {',
      '  signUp(input: {name: "Sam", handle: "sam", email: "sam@example.com",',
      '      password: "correct horse battery"}) {',
      '    token',
      '    user { id name handle }',
      '  }',
      '}', ''].join('\n');
    const VIEWER = [
      '# Signed-in requests carry the token from signUp or logIn:',
      '# open Headers (below) and paste',
      '#   {"Authorization": "Bearer pis_..."}',
      'query Me {',
      '  viewer { id name handle managedPages { role page { name handle } } }',
      '}', ''].join('\n');
    const url = new URL('/query', window.location.href);
    const ws = new URL(url); ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const fetcher = GraphiQL.createFetcher({ url: url.toString(), subscriptionUrl: ws.toString() });
    // No default header: a placeholder token would be refused
    // (UNAUTHENTICATED) and break the schema fetch. The first tab signs up;
    // the second shows where the token goes.
    const defaultTabs = [{ query: SIGN_UP }, { query: VIEWER }];
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultTabs, defaultEditorToolsVisibility: true,
        isHeadersEditorEnabled: true, shouldPersistHeaders: false }));
  </script>
</body>
</html>`

// graphiqlHandler serves the IDE page at / and its assets under /graphiql/.
func graphiqlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = io.WriteString(w, graphiqlPage)
	})
	mux.HandleFunc("GET /graphiql/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.PathValue("file"))
		f, err := graphiqlAssets.Open("graphiql/" + name + ".gz")
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		if strings.HasSuffix(name, ".css") {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = io.Copy(w, f)
			return
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			http.Error(w, "corrupt asset", http.StatusInternalServerError)
			return
		}
		_, _ = io.Copy(w, zr)
	})
	return mux
}
