package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/internal/apierr"
)

// uploads serves the GraphQL multipart request spec (files as Upload
// variables) within bounds, in place of gqlgen's MultipartForm, which reads
// the `operations` part without a cap (a 40 MB query got through) and
// reads every file before anything checks who is sending (rule 29):
//   - `operations` and `map` are capped like any request body (1 MiB);
//   - the sender is authenticated before any file part is read: an
//     anonymous or bad token is refused without reading the files;
//   - each file part is streamed to a temporary file and cut at the
//     per-file cap, and the whole body at the upload cap, so memory does
//     not grow with the files.
type uploads struct {
	maxPart  int64 // operations and map, each
	maxFile  int64
	maxTotal int64
	auth     Authenticator
	log      *slog.Logger
}

var _ graphql.Transport = uploads{}

func (u uploads) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == "multipart/form-data"
}

func (u uploads) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	if r.ContentLength > u.maxTotal {
		refuse(w, apierr.Errorf(apierr.LimitExceeded, "upload over %d bytes", u.maxTotal))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, u.maxTotal)
	defer r.Body.Close()
	mr, err := r.MultipartReader()
	if err != nil {
		refuse(w, apierr.New(apierr.BadUserInput, "the body is not multipart/form-data"))
		return
	}
	var params graphql.RawParams
	if e := u.readJSON(mr, "operations", &params); e != nil {
		refuse(w, e)
		return
	}
	files := map[string][]string{}
	if e := u.readJSON(mr, "map", &files); e != nil {
		refuse(w, e)
		return
	}
	// Who is sending, before a single file byte is read.
	token, ok := r.Context().Value(credentialKey{}).(string)
	if !ok {
		refuse(w, apierr.New(apierr.Unauthenticated, "sign in to upload files"))
		return
	}
	if _, err := u.auth.Authenticate(r.Context(), token); err != nil {
		var ae *apierr.Error
		if !errors.As(err, &ae) {
			ae = apierr.New(apierr.Internal, "internal error")
		}
		refuse(w, ae)
		return
	}
	var temps []*os.File
	defer func() {
		for _, f := range temps {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			refuse(w, readError(err))
			return
		}
		key := part.FormName()
		paths := files[key]
		if len(paths) == 0 {
			refuse(w, apierr.Errorf(apierr.BadUserInput, "file part %q is not in the map", key))
			return
		}
		delete(files, key)
		tmp, err := os.CreateTemp("", "pageinbox-upload-")
		if err != nil {
			u.log.Error("upload: temporary file", "err", err)
			refuse(w, apierr.New(apierr.Internal, "internal error"))
			return
		}
		temps = append(temps, tmp)
		n, err := io.Copy(tmp, io.LimitReader(part, u.maxFile+1))
		if err != nil {
			refuse(w, readError(err))
			return
		}
		if n > u.maxFile {
			refuse(w, apierr.Errorf(apierr.LimitExceeded, "file %q is over %d MiB", part.FileName(), u.maxFile>>20))
			return
		}
		for _, path := range paths {
			f, err := os.Open(tmp.Name())
			if err != nil {
				u.log.Error("upload: temporary file", "err", err)
				refuse(w, apierr.New(apierr.Internal, "internal error"))
				return
			}
			temps = append(temps, f)
			upload := graphql.Upload{File: f, Size: n, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type")}
			if gerr := params.AddUpload(upload, key, path); gerr != nil {
				refuse(w, apierr.New(apierr.BadUserInput, gerr.Message))
				return
			}
		}
	}
	for key := range files {
		refuse(w, apierr.Errorf(apierr.BadUserInput, "file part %q of the map is missing", key))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	w.Header().Set("Content-Type", "application/json")
	rc, gerr := exec.CreateOperationContext(r.Context(), &params)
	if gerr != nil {
		w.WriteHeader(http.StatusUnprocessableEntity)
		writeJSON(w, exec.DispatchError(graphql.WithOperationContext(r.Context(), rc), gerr))
		return
	}
	responses, ctx := exec.DispatchOperation(r.Context(), rc)
	writeJSON(w, responses(ctx))
}

// refuse answers before the body is read to its end, and closes the
// connection: otherwise net/http would read on (up to 256 KiB) to reuse
// it, waiting on a sender who never finishes.
func refuse(w http.ResponseWriter, e *apierr.Error) {
	w.Header().Set("Connection", "close")
	writeError(w, statusOf(e), e)
}

// readJSON decodes the next part, which must be called name, read up to
// the cap.
func (u uploads) readJSON(mr *multipart.Reader, name string, v any) *apierr.Error {
	part, err := mr.NextPart()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return apierr.Errorf(apierr.BadUserInput, "the %q part is missing", name)
		}
		return readError(err)
	}
	if part.FormName() != name {
		return apierr.Errorf(apierr.BadUserInput, "the %q part must come here, not %q", name, part.FormName())
	}
	b, err := io.ReadAll(io.LimitReader(part, u.maxPart+1))
	if err != nil {
		return readError(err)
	}
	if int64(len(b)) > u.maxPart {
		return apierr.Errorf(apierr.LimitExceeded, "the %q part is over %d bytes", name, u.maxPart)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(v) != nil {
		return apierr.Errorf(apierr.BadUserInput, "the %q part is not valid JSON of the expected shape", name)
	}
	return nil
}

// readError names a failure to read the body: over the cap, or broken.
func readError(err error) *apierr.Error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return apierr.Errorf(apierr.LimitExceeded, "upload over %d bytes", tooLarge.Limit)
	}
	return apierr.New(apierr.BadUserInput, "the multipart body could not be read (malformed or cut short)")
}

// statusOf is the HTTP status of a refusal made before GraphQL runs.
func statusOf(e *apierr.Error) int {
	switch e.Code {
	case apierr.LimitExceeded:
		return http.StatusRequestEntityTooLarge
	case apierr.Unauthenticated:
		return http.StatusUnauthorized
	case apierr.Internal:
		return http.StatusInternalServerError
	case apierr.RateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusBadRequest
}
