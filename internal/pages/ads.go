package pages

import (
	"context"
	"net/url"
	"strings"

	"pageinbox/ent"
	"pageinbox/ent/ad"
	"pageinbox/internal/apierr"
	"pageinbox/internal/rule"
)

// CreateAd creates an ad visitors can message the page from (rule 9).
func (s *Service) CreateAd(ctx context.Context, pageID int, title string, body, imageURL *string) (*ent.Ad, error) {
	if _, err := s.get(ctx, pageID); err != nil {
		return nil, err
	}
	ctx, err := rule.AuthorizeAds(ctx, pageID)
	if err != nil {
		return nil, err
	}
	if title = strings.TrimSpace(title); title == "" {
		return nil, apierr.New(apierr.BadUserInput, "an ad needs a title")
	}
	if err := validateText("body", body, 2000); err != nil {
		return nil, err
	}
	if imageURL != nil {
		u, err := url.Parse(*imageURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(*imageURL) > 2048 {
			return nil, apierr.New(apierr.BadUserInput, "imageUrl must be an http(s) URL of at most 2048 characters")
		}
	}
	return s.client.Ad.Create().
		SetPageID(pageID).
		SetTitle(title).
		SetNillableBody(body).
		SetNillableImageURL(imageURL).
		SetCreatedAt(s.clock.Now()).
		Save(ctx)
}

// Ads lists a page's ads, newest first, for its staff; nil for others.
func (s *Service) Ads(ctx context.Context, p *ent.Page) ([]*ent.Ad, error) {
	if ok, err := rule.PageStaffListsVisible(ctx, p.ID); err != nil || !ok {
		return nil, err
	}
	return s.client.Ad.Query().Where(ad.PageID(p.ID)).Order(ent.Desc(ad.FieldID)).Limit(100).All(ctx)
}
