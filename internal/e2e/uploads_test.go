package e2e

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// pngBytes is a valid 1x1 PNG.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

const sendFiles = `mutation($i: SendMessageToPageInput!) { sendMessageToPage(input: $i) {
	message { id seq attachments { type url name mimeType size } } thread { id } } }`

func fileInput(page apptest.Page, kinds ...string) apptest.Vars {
	atts := make([]apptest.Vars, len(kinds))
	for i, k := range kinds {
		atts[i] = apptest.Vars{"type": k, "file": nil}
	}
	return apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "body": "", "attachments": atts}}
}

// uploadsOnDisk counts stored blobs.
func uploadsOnDisk(t *testing.T, s *apptest.Server) int {
	n := 0
	root := filepath.Join(s.DataDir, "uploads")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		// The blob store's own tmp folder holds uploads in flight; the
		// test's data dir itself lives under /tmp, so compare relative.
		rel, _ := filepath.Rel(root, p)
		if err == nil && !d.IsDir() && !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			n++
		}
		return nil
	})
	return n
}

// TestFileAttachmentsRoundTrip is rule 7's uploads: multipart in, type
// sniffed, bytes back unchanged, only to those who may read the thread.
func TestFileAttachmentsRoundTrip(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor, stranger := s.SignUp("owner"), s.SignUp("visitor"), s.SignUp("stranger")
		page := s.CreatePage(owner, "files")
		pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 3000)...)
		r := s.Upload(visitor.Token, sendFiles, fileInput(page, "IMAGE", "FILE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "cat.png", Content: pngBytes},
			// The client's file name and type are not trusted: this is a PDF.
			"variables.i.attachments.1.file": {Name: "invoice.exe", Content: pdf},
		}).OK()
		img := "sendMessageToPage.message.attachments.0."
		doc := "sendMessageToPage.message.attachments.1."
		if r.String(img+"type") != "IMAGE" || r.String(img+"mimeType") != "image/png" || r.Int(img+"size") != len(pngBytes) || r.String(img+"name") != "cat.png" {
			t.Fatalf("image: %s", r.Raw)
		}
		if r.String(doc+"mimeType") != "application/pdf" || r.Int(doc+"size") != len(pdf) {
			t.Fatalf("file: %s", r.Raw)
		}
		thread := r.String("sendMessageToPage.thread.id")
		msgID := r.String("sendMessageToPage.message.id")
		get := func(url, token string) (int, []byte, http.Header) {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, body, res.Header
		}
		// Staff see the message in the thread and download its files.
		if n := s.Thread(owner.Token, thread).OK().Int("node.messages.totalCount"); n != 1 {
			t.Fatalf("thread has %d messages", n)
		}
		staffView := s.Do(owner.Token, `query($id: ID!) { node(id: $id) { ... on Message { attachments { url } } } }`, apptest.Vars{"id": msgID}).OK()
		// Without PAGEINBOX_PUBLIC_URL the links are relative (rule 31).
		url := staffView.String("node.attachments.0.url")
		if !strings.HasPrefix(url, "/files/") {
			t.Fatalf("download URL %q is not relative", url)
		}
		url = s.HTTP.URL + url
		code, body, h := get(url, "")
		if code != 200 || !bytes.Equal(body, pngBytes) || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("signed download: %d %q %v", code, body, h)
		}
		code, body, h = get(s.HTTP.URL+staffView.String("node.attachments.1.url"), "")
		if code != 200 || !bytes.Equal(body, pdf) || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
			t.Fatalf("pdf download: %d %v", code, h)
		}
		// With a bearer token instead of a signature: participants only.
		plain := s.HTTP.URL + "/files/" + msgID + "/0"
		if code, body, _ := get(plain, visitor.Token); code != 200 || !bytes.Equal(body, pngBytes) {
			t.Fatalf("visitor with token: %d", code)
		}
		if code, _, _ := get(plain, stranger.Token); code != 404 {
			t.Fatalf("stranger with token: %d, want 404", code)
		}
		if code, _, _ := get(plain, ""); code != 401 {
			t.Fatalf("no token, no signature: %d", code)
		}
		// Outsiders never get a URL, and a forged or expired one is refused.
		if r := s.Do(stranger.Token, `query($id: ID!) { node(id: $id) { ... on Message { attachments { url } } } }`, apptest.Vars{"id": msgID}); !r.Null("node") {
			t.Fatalf("stranger sees the message: %s", r.Raw)
		}
		if code, _, _ := get(strings.Replace(url, "/files/"+msgID+"/0", "/files/"+msgID+"/1", 1), ""); code != 403 {
			t.Fatalf("signature of another file: %d", code)
		}
		if code, _, _ := get(url[:len(url)-3]+"abc", ""); code != 403 {
			t.Fatalf("forged signature: %d", code)
		}
		s.Clock.Advance(2 * time.Hour)
		if code, _, _ := get(url, ""); code != 403 {
			t.Fatalf("expired link: %d", code)
		}
	})
}

func TestUploadLimits(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		owner, visitor := s.SignUp("owner"), s.SignUp("visitor")
		page := s.CreatePage(owner, "limits5")
		// Over 25 MiB.
		big := append(append([]byte(nil), pngBytes...), bytes.Repeat([]byte{0}, 25<<20)...)
		s.Upload(visitor.Token, sendFiles, fileInput(page, "IMAGE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "huge.png", Content: big},
		}).WantCode("LIMIT_EXCEEDED")
		// Content that is not what the kind says.
		s.Upload(visitor.Token, sendFiles, fileInput(page, "IMAGE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "fake.png", Content: []byte("<html><script>alert(1)</script></html>")},
		}).WantCode("BAD_USER_INPUT")
		// Unknown binaries are refused as files.
		s.Upload(visitor.Token, sendFiles, fileInput(page, "FILE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "tool.exe", Content: append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{1, 2, 3}, 100)...)},
		}).WantCode("BAD_USER_INPUT")
		// An image with a good first file and a bad second one stores neither.
		s.Upload(visitor.Token, sendFiles, fileInput(page, "IMAGE", "IMAGE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "ok.png", Content: pngBytes},
			"variables.i.attachments.1.file": {Name: "bad.png", Content: []byte("not an image at all")},
		}).WantCode("BAD_USER_INPUT")
		// A file kind without a file, and a link with a file.
		s.Do(visitor.Token, sendFiles, apptest.Vars{"i": apptest.Vars{"pageId": page.ID, "body": "x", "attachments": []apptest.Vars{{"type": "IMAGE"}}}}).WantCode("BAD_USER_INPUT")
		if n := uploadsOnDisk(t, s); n != 0 {
			t.Fatalf("refused uploads left %d files behind", n)
		}
		if !s.Do(visitor.Token, `query($h: String!) { page(handle: $h) { viewerThread { id } } }`, apptest.Vars{"h": page.Handle}).OK().Null("page.viewerThread") {
			t.Fatal("refused uploads must not create a thread")
		}
		// A refused message (blocked) does not keep its files either.
		s.Do(owner.Token, `mutation($p: ID!, $u: ID!) { blockUser(input: {pageId: $p, userId: $u}) { page { id } } }`, apptest.Vars{"p": page.ID, "u": visitor.ID}).OK()
		s.Upload(visitor.Token, sendFiles, fileInput(page, "IMAGE"), map[string]apptest.File{
			"variables.i.attachments.0.file": {Name: "ok.png", Content: pngBytes},
		}).WantCode("BLOCKED")
		if n := uploadsOnDisk(t, s); n != 0 {
			t.Fatalf("a refused message left %d files behind", n)
		}
	})
}
