package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/api"
	"pageinbox/internal/apptest"
)

// Rule 29: every request is bounded before it costs.

// postRaw posts a body as-is and returns the status and the raw answer.
func postRaw(t *testing.T, s *apptest.Server, contentType string, body io.Reader) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL, body)
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestErrorAmplificationIsBounded(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithProduction())
		// 1 MiB of unknown directives, anonymous, in production: one
		// error, not hundreds of thousands.
		q := "{ __typename " + strings.Repeat("@x ", 340_000) + "}"
		body, _ := json.Marshal(map[string]any{"query": q})
		_, raw := postRaw(t, s, "application/json", bytes.NewReader(body))
		var r struct {
			Errors []apptest.Error `json:"errors"`
		}
		if err := json.Unmarshal(raw, &r); err != nil || len(raw) > 4<<10 || len(r.Errors) != 1 || r.Errors[0].Code() != "QUERY_TOO_COMPLEX" {
			t.Fatalf("1 MiB of directives: %d bytes: %.300s", len(raw), raw)
		}
		// Under the token cap, unknown directives, fields and arguments
		// each give at most 100 errors and one saying the rest were left out.
		args := make([]string, 3000)
		for i := range args {
			args[i] = fmt.Sprintf("a%d: 1", i)
		}
		fields := make([]string, 3000)
		for i := range fields {
			fields[i] = fmt.Sprintf("f%d", i)
		}
		for name, q := range map[string]string{
			"directives": "{ __typename " + strings.Repeat("@x ", 3000) + "}",
			"fields":     "{ " + strings.Join(fields, " ") + " }",
			"arguments":  "{ viewer(" + strings.Join(args, ", ") + ") { id } }",
		} {
			r := s.Do("", q, nil)
			last := r.Errors[len(r.Errors)-1]
			if len(r.Errors) != api.DefaultLimits().MaxErrors+1 || last.Code() != "LIMIT_EXCEEDED" || !strings.Contains(last.Message, "too many errors") {
				t.Errorf("unknown %s: %d errors, last %+v", name, len(r.Errors), last)
			}
			for _, e := range r.Errors {
				if e.Code() == "" || e.Message == "" {
					t.Errorf("unknown %s: an error without a code or message: %+v", name, e)
				}
			}
		}
	})
}

func TestIntrospectionIsBounded(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		// GraphiQL's query (one __schema, deep type references) works.
		s.Do("", introspectionQuery, nil).OK()
		// Aliases of __schema, each walking every type, are refused.
		var q strings.Builder
		q.WriteString("{")
		for i := range 500 {
			fmt.Fprintf(&q, " s%d: __schema { types { fields { args { type { name } } } } }", i)
		}
		q.WriteString(" }")
		start := time.Now()
		s.Do("", q.String(), nil).WantCode("QUERY_TOO_COMPLEX")
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("refusing 500 __schema took %s", d)
		}
		s.Do("", `{ a: __schema { queryType { name } } b: __schema { queryType { name } } }`, nil).WantCode("QUERY_TOO_COMPLEX")

		// Production refuses introspection as the client's error, and
		// does not log it as the server's.
		prod := apptest.Start(t, b, apptest.WithProduction())
		before := prod.LoggedProblems()
		for range 20 {
			prod.Do("", `{ __schema { queryType { name } } }`, nil).WantCode("FORBIDDEN")
			prod.Do("", `{ __type(name: "Query") { name } }`, nil).WantCode("FORBIDDEN")
		}
		if n := prod.LoggedProblems() - before; n != 0 {
			t.Fatalf("refused introspection logged %d warnings or errors", n)
		}
		prod.Do("", `{ __typename }`, nil).OK()
	})
}

func TestFanOutIsBounded(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("fanout")
		aliases := func(n int) string {
			var q strings.Builder
			q.WriteString("{")
			for i := range n {
				fmt.Fprintf(&q, ` p%d: pages(search: "x", first: 0) { totalCount }`, i)
			}
			q.WriteString(" }")
			return q.String()
		}
		s.Do("", aliases(6000), nil).WantCode("QUERY_TOO_COMPLEX")
		s.Do("", aliases(51), nil).WantCode("QUERY_TOO_COMPLEX")
		// 50 are served (cheap ones: root fields run in parallel, and the
		// test database server is shared).
		var fifty strings.Builder
		for i := range 50 {
			fmt.Fprintf(&fifty, " t%d: __typename", i)
		}
		s.Do("", "{"+fifty.String()+" }", nil).OK()
		// Fragments count their aliases where they are spread.
		s.Do("", `fragment F on Query { `+strings.TrimSuffix(strings.TrimPrefix(aliases(10), "{"), "}")+` }
			{ ...F a: viewer { id } ... on Query { ...F } b: viewer { id } c: viewer { id } d: viewer { id } e: viewer { ...G } }
			fragment G on User { x: id y: id z: id a1: id a2: id a3: id a4: id a5: id a6: id a7: id a8: id a9: id
			b1: id b2: id b3: id b4: id b5: id b6: id b7: id b8: id b9: id c1: id c2: id c3: id c4: id c5: id c6: id c7: id c8: id c9: id }`, nil).
			WantCode("QUERY_TOO_COMPLEX")

		// nodes(ids:) resolves its selection once per id: 100 threads'
		// 100 messages each is 10,000 messages, over the complexity cap.
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = c.ThreadID
		}
		wide := `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Thread { messages(first: 100) { edges { node { id body } } } } } }`
		s.Do(c.Owner.Token, wide, apptest.Vars{"ids": ids}).WantCode("QUERY_TOO_COMPLEX")
		s.Do(c.Owner.Token, wide, apptest.Vars{"ids": ids[:2]}).OK()
		s.Do(c.Owner.Token, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, apptest.Vars{"ids": append(ids, c.ThreadID)}).WantCode("BAD_USER_INPUT")
	})
}

func TestMultipartIsBounded(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) { c.MaxFileBytes = 64 << 10 }))
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "multipart")
		multipartBody := func(operations, mapPart string, file []byte) (string, *bytes.Buffer) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			_ = w.WriteField("operations", operations)
			_ = w.WriteField("map", mapPart)
			if file != nil {
				fw, _ := w.CreateFormFile("0", "a.png")
				_, _ = fw.Write(file)
			}
			_ = w.Close()
			return w.FormDataContentType(), &buf
		}
		post := func(token, ct string, body io.Reader) (int, apptest.Error) {
			req, _ := http.NewRequest(http.MethodPost, s.URL, body)
			req.Header.Set("Content-Type", ct)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			r := s.Send(req)
			if len(r.Errors) == 0 {
				t.Fatalf("want a refusal, got %s", r.Raw)
			}
			return r.Status, r.Errors[0]
		}
		// A 2 MiB query in `operations` (40 MB got through before).
		big := `{"query":"{ viewer { id } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
		ct, body := multipartBody(big, `{}`, nil)
		if status, e := post(visitor.Token, ct, body); status != 413 || e.Code() != "LIMIT_EXCEEDED" {
			t.Fatalf("2 MiB operations: %d %+v", status, e)
		}
		ct, body = multipartBody(`{"query":"{ viewer { id } }"}`, `{"0":["variables.x"],"pad":["`+strings.Repeat("x", 2<<20)+`"]}`, nil)
		if status, e := post(visitor.Token, ct, body); status != 413 || e.Code() != "LIMIT_EXCEEDED" {
			t.Fatalf("2 MiB map: %d %+v", status, e)
		}
		// A file over the per-file cap.
		ops, _ := json.Marshal(map[string]any{"query": sendFiles, "variables": fileInput(page, "IMAGE")})
		ct, body = multipartBody(string(ops), `{"0":["variables.i.attachments.0.file"]}`, append(append([]byte(nil), pngBytes...), make([]byte, 100<<10)...))
		if status, e := post(visitor.Token, ct, body); status != 413 || e.Code() != "LIMIT_EXCEEDED" {
			t.Fatalf("file over the cap: %d %+v", status, e)
		}
		// Anonymous: refused before the file is read - the body never
		// ends (its length promises 10 MiB), yet the answer comes.
		var head bytes.Buffer
		mw := multipart.NewWriter(&head)
		_ = mw.WriteField("operations", string(ops))
		_ = mw.WriteField("map", `{"0":["variables.i.attachments.0.file"]}`)
		fw, _ := mw.CreateFormFile("0", "a.png")
		_, _ = fw.Write(pngBytes)
		conn, err := net.Dial("tcp", s.HTTP.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", mw.FormDataContentType(), 10<<20)
		_, _ = conn.Write(head.Bytes())
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil) //nolint:bodyclose // the raw connection is closed by the test
		if err != nil {
			t.Fatalf("an anonymous upload was read on instead of refused: %v", err)
		}
		answer, _ := io.ReadAll(res.Body)
		if res.StatusCode != 401 || !bytes.Contains(answer, []byte("UNAUTHENTICATED")) {
			t.Fatalf("anonymous upload: %d %s", res.StatusCode, answer)
		}
		// Within the caps an upload works.
		s.Upload(visitor.Token, sendFiles, fileInput(page, "IMAGE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "ok.png", Content: pngBytes},
		}).OK()
	})
}

func TestSlowBodiesAreCut(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b, apptest.WithAPI(func(c *api.Config) { c.BodyTimeout = 500 * time.Millisecond }))
		conn, err := net.Dial("tcp", s.HTTP.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		// Headers promise 1,000 bytes; 10 come, then nothing.
		fmt.Fprintf(conn, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"query\":")
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		start := time.Now()
		answer, _ := io.ReadAll(conn) // until the server answers and closes, or gives up
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("a slow body held its connection %s", d)
		}
		if len(answer) > 0 && !bytes.Contains(answer, []byte(`"code"`)) {
			t.Fatalf("answer without a code: %s", answer)
		}
		// A normal request still works.
		s.Do("", `{ __typename }`, nil).OK()
	})
}

func TestErrorsAreCodedAndHuman(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("coded")
		before := s.LoggedProblems()
		// NUL cannot be stored by PostgreSQL: refused on both databases,
		// in variables and in literals.
		s.SendIn(c.Visitor, c.ThreadID, "a\x00b").WantCode("BAD_USER_INPUT")
		s.Do(c.Visitor.Token, `mutation($t: ID!) { sendMessage(input: {threadId: $t, body: "a\u0000b"}) { message { id } } }`,
			apptest.Vars{"t": c.ThreadID}).WantCode("BAD_USER_INPUT")
		s.Do("", `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`, apptest.Vars{"i": apptest.Vars{
			"name": "nul\x00", "handle": "nulname", "email": "nul@example.com", "password": "correct horse"}}).WantCode("BAD_USER_INPUT")
		// IDs that are not numbers say so, without Go's parser text.
		r := s.Do("", `{ node(id: "abc") { id } }`, nil).WantCode("BAD_USER_INPUT")
		if strings.Contains(string(r.Raw), "strconv") {
			t.Fatalf("parser text reaches the client: %s", r.Raw)
		}
		// A batch element that is not a request is refused in its place
		// (the batch answers in order), without echoing the body or Go
		// type names.
		status, raw := postRaw(t, s, "application/json", strings.NewReader(`["secretmarker"]`))
		if status >= 500 || !bytes.Contains(raw, []byte("BAD_USER_INPUT")) || bytes.Contains(raw, []byte("secretmarker")) || bytes.Contains(raw, []byte("graphql.RawParams")) {
			t.Fatalf("malformed batch body: %d %s", status, raw)
		}
		// Methods and content types no transport takes (PUT is
		// graphql-sse's reservation).
		req, _ := http.NewRequest(http.MethodPatch, s.URL, strings.NewReader(`{}`))
		if r := s.Send(req); r.Status != 405 || r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("PATCH: %d %s", r.Status, r.Raw)
		}
		if status, raw := postRaw(t, s, "text/plain", strings.NewReader(`{ __typename }`)); status != 415 || !bytes.Contains(raw, []byte("BAD_USER_INPUT")) {
			t.Fatalf("text/plain: %d %s", status, raw)
		}
		// A search longer than any LIKE pattern SQLite takes.
		s.Do("", `query($s: String) { pages(search: $s) { totalCount } }`, apptest.Vars{"s": strings.Repeat("%", 60_000)}).WantCode("LIMIT_EXCEEDED")
		s.Do(c.Owner.Token, `query($h: String!, $s: String) { page(handle: $h) { savedReplies(search: $s) { id } } }`,
			apptest.Vars{"h": c.Page.Handle, "s": strings.Repeat("%", 60_000)}).WantCode("LIMIT_EXCEEDED")
		s.Do("", `query($s: String) { pages(search: $s) { totalCount } }`, apptest.Vars{"s": "%%%"}).OK()
		if n := s.LoggedProblems() - before; n != 0 {
			t.Fatalf("client errors logged %d warnings or errors", n)
		}
	})
}

// introspectionQuery is GraphiQL's (graphql-js getIntrospectionQuery).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
}`
