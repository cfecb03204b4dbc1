package store

import (
	"pageinbox/ent"
	"pageinbox/internal/apierr"
)

// NotFound maps ent's not-found error to the API's NOT_FOUND with msg, so
// a missing row and a row the viewer may not see answer alike (the privacy
// filters make the second look like the first). Other errors, and nil,
// pass through.
func NotFound(err error, msg string) error {
	if ent.IsNotFound(err) {
		return apierr.New(apierr.NotFound, msg)
	}
	return err
}
