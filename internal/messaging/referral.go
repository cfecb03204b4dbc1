package messaging

import (
	"context"

	"pageinbox/ent"
	"pageinbox/ent/ad"
	"pageinbox/ent/message"
	"pageinbox/ent/savedreply"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// referral says why a message started or resumed a conversation.
type referral struct {
	source    message.ReferralSource
	ad        *schematype.AdSnapshot
	commentID *int
	postID    *int
}

// adReferral snapshots the ad a visitor writes from (rule 9): the message
// keeps the ad as it is now, whatever happens to the ad later.
func (s *Service) adReferral(ctx context.Context, tx *ent.Tx, pageID int, adID *int) (*referral, error) {
	if adID == nil {
		return nil, nil
	}
	// Ads are the page's; the visitor only ever sees this snapshot.
	a, err := tx.Ad.Query().Where(ad.ID(*adID), ad.PageID(pageID)).Only(rule.For(ctx, rule.SendReferences))
	if err != nil {
		return nil, store.NotFound(err, "this page has no such ad")
	}
	if !a.Active {
		return nil, apierr.New(apierr.BadUserInput, "this ad is no longer active")
	}
	return &referral{source: message.ReferralSourceAD, ad: &schematype.AdSnapshot{
		AdID: a.ID, Title: a.Title, Body: a.Body, ImageURL: a.ImageURL,
	}}, nil
}

// withSavedReply puts a saved reply's body into the draft (rule 14). Only
// the page's side sends saved replies, and only its own.
func (s *Service) withSavedReply(ctx context.Context, tx *ent.Tx, th *ent.Thread, snd sender, d Draft) (Draft, error) {
	if snd.side != rule.SidePage {
		return d, apierr.New(apierr.BadUserInput, "saved replies are the page's: only its staff send them")
	}
	if d.Body != "" {
		return d, apierr.New(apierr.BadUserInput, "give a body or a savedReplyId, not both")
	}
	// Sending staff (or a SEND_MESSAGES token) may use the page's saved
	// replies even without the right to edit them.
	sr, err := tx.SavedReply.Query().
		Where(savedreply.ID(*d.SavedReplyID), savedreply.PageID(th.PageID)).
		Only(rule.For(ctx, rule.SendReferences))
	if err != nil {
		return d, store.NotFound(err, "this page has no such saved reply")
	}
	d.Body = sr.Body
	return d, nil
}

// Referral is why a message started or resumed a conversation, as the API
// shows it: an ad (with its snapshot), a comment the page answered
// privately, or the post a group chat was joined from.
type Referral struct {
	Source    message.ReferralSource
	Ad        *schematype.AdSnapshot
	CommentID *int
	PostID    *int
}

// ReferralOf returns a message's referral, nil when it has none.
func ReferralOf(m *ent.Message) *Referral {
	if m.ReferralSource == nil {
		return nil
	}
	return &Referral{Source: *m.ReferralSource, Ad: m.ReferralAd, CommentID: m.ReferralCommentID, PostID: m.ReferralPostID}
}
