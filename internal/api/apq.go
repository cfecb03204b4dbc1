package api

// Automatic persisted queries (Apollo's protocol) and the caching of GET
// answers they make possible.

import (
	"net/http"
	"slices"

	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
)

// DefaultPersistedQueries is how many query texts the server keeps by
// their hash. A client's app has a few hundred documents at most; a miss
// costs one round trip (PERSISTED_QUERY_NOT_FOUND, then the client sends
// the text).
const DefaultPersistedQueries = 2000

// persistedQueries is gqlgen's automatic persisted query extension over a
// bounded LRU, per replica: a replica that has not seen a hash answers
// PERSISTED_QUERY_NOT_FOUND once and learns it, so sharing the cache
// would save one round trip per document and replica - not worth a
// shared store.
func persistedQueries(size int) extension.AutomaticPersistedQuery {
	return extension.AutomaticPersistedQuery{Cache: lru.New[string](size)}
}

// cacheHeaders marks a GET answer: never stored by shared caches when it
// was made for a signed-in caller; and varying with the headers that
// change it (the token, and CORS's answer to the origin).
func cacheHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Authorization")
	if !slices.Contains(w.Header().Values("Vary"), "Origin") { // rs/cors may have set it
		w.Header().Add("Vary", "Origin")
	}
	if r.Header.Get("Authorization") != "" {
		w.Header().Set("Cache-Control", "private, no-store")
		return
	}
	// Anonymous answers are the same for every caller but change as
	// people write: caches may keep them only to revalidate.
	w.Header().Set("Cache-Control", "no-cache")
}
