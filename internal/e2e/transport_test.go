package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
)

func TestGETServesQueriesOnly(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		u := s.SignUp("getter")
		get := func(q string) *apptest.Response {
			req, _ := http.NewRequest(http.MethodGet, s.URL+"?query="+url.QueryEscape(q), nil)
			req.Header.Set("Authorization", "Bearer "+u.Token)
			return s.Send(req)
		}
		if r := get(`{ viewer { id } }`).OK(); r.String("viewer.id") != u.ID {
			t.Fatalf("GET query: %s", r.Raw)
		}
		r := get(`mutation { logOut }`)
		if len(r.Errors) == 0 || r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("GET mutation must be refused: %s", r.Raw)
		}
		s.Do(u.Token, `{ viewer { id } }`, nil).OK() // the session survived
	})
}

func TestRequestBodiesAreCapped(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		big := `{"query":"{ viewer { id } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
		req, _ := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(body, []byte("LIMIT_EXCEEDED")) {
			t.Fatalf("2 MiB body: %d %s", res.StatusCode, body)
		}
		// Chunked bodies without a length are cut at the cap as well.
		req, _ = http.NewRequest(http.MethodPost, s.URL, io.MultiReader(strings.NewReader(big)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		r := s.Send(req)
		if len(r.Errors) == 0 {
			t.Fatalf("chunked 2 MiB body accepted: %d", r.Status)
		}
		s.Do("", `{ viewer { id } }`, nil).OK()
	})
}

func TestDevelopmentAndProductionModes(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		dev := apptest.Start(t, b)
		prod := apptest.Start(t, b, apptest.WithProduction())
		intro := `{ __schema { queryType { name } } }`
		if dev.Do("", intro, nil).OK().String("__schema.queryType.name") != "Query" {
			t.Fatal("development serves introspection")
		}
		if r := prod.Do("", intro, nil); len(r.Errors) == 0 {
			t.Fatalf("production must refuse introspection: %s", r.Raw)
		}
		typo := `{ viewr { id } }`
		if r := dev.Do("", typo, nil); !strings.Contains(string(r.Raw), "Did you mean") {
			t.Fatalf("development suggests field names: %s", r.Raw)
		}
		if r := prod.Do("", typo, nil); strings.Contains(string(r.Raw), "Did you mean") || r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("production must not suggest field names: %s", r.Raw)
		}
		for name, srv := range map[string]*apptest.Server{"dev": dev, "prod": prod} {
			res, err := http.Get(srv.HTTP.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			hasIDE := res.StatusCode == 200 && bytes.Contains(page, []byte("GraphiQL"))
			if hasIDE != (name == "dev") {
				t.Errorf("%s: GraphiQL served = %v (status %d)", name, hasIDE, res.StatusCode)
			}
		}
		// GraphiQL's assets come from the binary, not a CDN.
		res, err := http.Get(dev.HTTP.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if bytes.Contains(page, []byte("https://")) {
			t.Fatal("GraphiQL must not load anything from the internet")
		}
		for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
			res, err := http.Get(dev.HTTP.URL + "/graphiql/" + asset)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || n < 1000 {
				t.Errorf("asset %s: %d, %d bytes", asset, res.StatusCode, n)
			}
		}
	})
}

func TestHealthzAndMaskedInternalErrors(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		u := s.SignUp("health")
		res, err := http.Get(s.HTTP.URL + "/healthz")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", res, err)
		}
		res.Body.Close()
		// The database goes away (every pool: readiness checks on a
		// connection of its own): health says so, and clients get
		// INTERNAL with no SQL or driver text.
		_ = s.Store.Close()
		res, err = http.Get(s.HTTP.URL + "/healthz")
		if err != nil || res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("healthz without a database: %v %v", res, err)
		}
		res.Body.Close()
		r := s.Do("", `{ pages { totalCount } }`, nil)
		if r.Code() != "INTERNAL" || r.Errors[0].Message != "internal error" {
			t.Fatalf("want a masked INTERNAL error, got %s", r.Raw)
		}
		r = s.Do(u.Token, `{ viewer { id } }`, nil)
		if r.Code() != "INTERNAL" || strings.Contains(strings.ToLower(string(r.Raw)), "sql") {
			t.Fatalf("want a masked INTERNAL error, got %s", r.Raw)
		}
	})
}

func TestQueriesAreBoundedBeforeTheyRun(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("bounds")
		// Too deep.
		deep := `{ viewer { threads { edges { node { messages { edges { node { thread { messages { edges { node { thread { messages { edges { node { id } } } } } } } } } } } } } } } }`
		s.Do(c.Visitor.Token, deep, nil).WantCode("QUERY_TOO_COMPLEX")
		// Too costly: 100 threads x 100 messages x fields.
		wide := `{ viewer { threads(first: 100) { edges { node { messages(first: 100) { edges { node { id body seq createdAt senderType } } } } } } } }`
		s.Do(c.Visitor.Token, wide, nil).WantCode("QUERY_TOO_COMPLEX")
		// Fragment spreads count where they are used.
		frag := `fragment M on Thread { messages(first: 100) { edges { node { id body seq createdAt senderType } } } }
			{ viewer { threads(first: 100) { edges { node { ...M } } } } }`
		s.Do(c.Visitor.Token, frag, nil).WantCode("QUERY_TOO_COMPLEX")
		// Page sizes are capped at 100, in literals and variables.
		s.Do(c.Visitor.Token, `{ viewer { threads(first: 101) { totalCount } } }`, nil).WantCode("BAD_USER_INPUT")
		s.Do(c.Visitor.Token, `query($n: Int) { viewer { threads(last: $n) { totalCount } } }`, apptest.Vars{"n": 500}).WantCode("BAD_USER_INPUT")
		s.Do(c.Visitor.Token, `{ viewer { threads(first: 100) { totalCount } } }`, nil).OK()
	})
}

func TestConnectionsHaveADefaultPageSize(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("paging")
		for i := range 44 {
			s.SendToPage(c.Visitor, c.Page, fmt.Sprintf("m%d", i)).OK()
		}
		q := `query($id: ID!, $first: Int, $after: Cursor) { node(id: $id) { ... on Thread {
			messages(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { seq } } } } } }`
		r := s.Do(c.Owner.Token, q, apptest.Vars{"id": c.ThreadID}).OK()
		if r.Len("node.messages.edges") != 20 || r.Int("node.messages.totalCount") != 45 || !r.Bool("node.messages.pageInfo.hasNextPage") {
			t.Fatalf("default page: %s", r.Raw)
		}
		// Walk all pages with cursors: seq 1..45, in order, once each.
		var after any
		seen := 0
		for {
			r := s.Do(c.Owner.Token, q, apptest.Vars{"id": c.ThreadID, "first": 17, "after": after}).OK()
			for i := range r.Len("node.messages.edges") {
				seen++
				if got := r.Int(fmt.Sprintf("node.messages.edges.%d.node.seq", i)); got != seen {
					t.Fatalf("cursor paging: want seq %d, got %d", seen, got)
				}
			}
			if !r.Bool("node.messages.pageInfo.hasNextPage") {
				break
			}
			after = r.String("node.messages.pageInfo.endCursor")
		}
		if seen != 45 {
			t.Fatalf("paged through %d messages, want 45", seen)
		}
		// The newest message: last: 1.
		r = s.Do(c.Owner.Token, `query($id: ID!) { node(id: $id) { ... on Thread { messages(last: 1) { edges { node { seq } } } } } }`, apptest.Vars{"id": c.ThreadID}).OK()
		if r.Int("node.messages.edges.0.node.seq") != 45 {
			t.Fatalf("last: 1: %s", r.Raw)
		}
		s.Do(c.Owner.Token, `{ pages(after: "garbage") { totalCount } }`, nil).WantCode("BAD_USER_INPUT")
	})
}
