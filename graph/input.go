package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"pageinbox/ent"
	"pageinbox/ent/schema/schematype"
	"pageinbox/graph/model"
	"pageinbox/internal/messaging"
)

// deref returns *p, or the zero value for nil (an omitted optional input).
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// attachments converts the input list for the send path.
func attachments(in []*model.AttachmentInput) []messaging.AttachmentDraft {
	out := make([]messaging.AttachmentDraft, 0, len(in))
	for _, a := range in {
		d := messaging.AttachmentDraft{Type: a.Type, URL: a.URL, Title: a.Title}
		if a.File != nil {
			d.File, d.Filename, d.Size = a.File.File, a.File.Filename, a.File.Size
		}
		out = append(out, d)
	}
	return out
}

// windows converts availability windows; nil stays nil (keep current).
func windows(in []*schematype.AvailabilityWindow) []schematype.AvailabilityWindow {
	if in == nil {
		return nil
	}
	out := make([]schematype.AvailabilityWindow, len(in))
	for i, w := range in {
		out[i] = *w
	}
	return out
}

// inAuthPayload reports whether the field being resolved sits under an
// AuthPayload: the user of signUp and logIn is the caller, even though the
// request itself was anonymous.
func inAuthPayload(ctx context.Context) bool {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if fc.Object == "AuthPayload" {
			return true
		}
	}
	return false
}

// pagePayload wraps a page service result.
func pagePayload(p *ent.Page, err error) (*model.PagePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.PagePayload{Page: p}, nil
}

func messagePayload(m *ent.Message, err error) (*model.MessagePayload, error) {
	if err != nil {
		return nil, err
	}
	return &model.MessagePayload{Message: m}, nil
}
