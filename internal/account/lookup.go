package account

import (
	"context"
	"strings"

	"pageinbox/ent"
	"pageinbox/ent/user"
	"pageinbox/internal/rule"
)

// ByHandle finds a person by handle, case-insensitively, e.g. to add them
// as staff. It answers nil, not an error, for unknown handles and for
// callers who may not look people up (rule.MayLookUpPeople), so the answer
// tells an anonymous caller nothing.
func (s *Service) ByHandle(ctx context.Context, handle string) (*ent.User, error) {
	if !rule.MayLookUpPeople(ctx) {
		return nil, nil
	}
	u, err := s.client.User.Query().Where(user.HandleKey(strings.ToLower(strings.TrimSpace(handle)))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return u, err
}
