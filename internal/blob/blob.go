// Package blob keeps uploaded files. Store is the small interface the rest
// of the server uses; Dir, a local folder, is the default implementation
// (an object store would implement the same three methods).
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Store keeps blobs by key.
type Store interface {
	// Put stores r under key; a partial write leaves nothing behind.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open reads a blob.
	Open(ctx context.Context, key string) (io.ReadSeekCloser, error)
	// Delete removes a blob; a missing one is not an error.
	Delete(ctx context.Context, key string) error
}

// ErrNotFound is returned by Open for an unknown key.
var ErrNotFound = errors.New("blob: not found")

// Dir stores blobs as files under a root folder, two levels of
// subfolders deep so no folder grows huge.
type Dir struct {
	root string
}

// NewDir returns a store rooted at dir, creating it.
func NewDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", dir, err)
	}
	return &Dir{root: dir}, nil
}

var keyPattern = regexp.MustCompile(`^[a-f0-9]{32,128}$`)

func (d *Dir) path(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", fmt.Errorf("blob: bad key %q", key)
	}
	return filepath.Join(d.root, key[:2], key[2:4], key), nil
}

// Put writes to a temporary file and renames it into place.
func (d *Dir) Put(_ context.Context, key string, r io.Reader) (int64, error) {
	dst, err := d.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "upload-*")
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return 0, err
	}
	return n, nil
}

// Open opens a stored blob.
func (d *Dir) Open(_ context.Context, key string) (io.ReadSeekCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete removes a blob.
func (d *Dir) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
