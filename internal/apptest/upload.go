package apptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
)

// File is a file for a multipart upload.
type File struct {
	Name    string
	Content []byte
}

// Upload posts an operation with files, following the GraphQL multipart
// request spec: each file fills the variable path given as its key (e.g.
// "variables.i.attachments.0.file").
func (s *Server) Upload(token, query string, vars Vars, files map[string]File) *Response {
	s.t.Helper()
	return s.Send(s.UploadRequest(token, query, vars, files))
}

// UploadRequest prepares Upload's request, for tests that change its
// headers before sending it.
func (s *Server) UploadRequest(token, query string, vars Vars, files map[string]File) *http.Request {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	ops, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	_ = w.WriteField("operations", string(ops))
	m := map[string][]string{}
	i := 0
	paths := make([]string, 0, len(files))
	for path := range files {
		paths = append(paths, path)
	}
	for _, path := range paths {
		m[fmt.Sprint(i)] = []string{path}
		i++
	}
	mj, _ := json.Marshal(m)
	_ = w.WriteField("map", string(mj))
	for i, path := range paths {
		fw, _ := w.CreateFormFile(fmt.Sprint(i), files[path].Name)
		_, _ = fw.Write(files[path].Content)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}
