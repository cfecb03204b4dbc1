// Package pages creates pages and changes their settings and staff
// (rule 2, rule 12's switch and hours).
package pages

import (
	"context"
	"log/slog"
	"strings"
	"unicode/utf8"

	"entgo.io/contrib/entgql"

	"pageinbox/ent"
	"pageinbox/ent/page"
	"pageinbox/ent/schema/schematype"
	"pageinbox/internal/account"
	"pageinbox/internal/apierr"
	"pageinbox/internal/clock"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
)

// Service manages pages.
type Service struct {
	client *ent.Client
	clock  clock.Clock
	pub    pubsub.Publisher
	log    *slog.Logger
}

// New returns the page service.
func New(client *ent.Client, clk clock.Clock, pub pubsub.Publisher, log *slog.Logger) *Service {
	return &Service{client: client, clock: clk, pub: pub, log: log}
}

// get loads a page or answers NOT_FOUND.
func (s *Service) get(ctx context.Context, id int) (*ent.Page, error) {
	p, err := s.client.Page.Get(ctx, id)
	return p, store.NotFound(err, "page not found")
}

// Create makes a page; its creator becomes its ADMIN.
func (s *Service) Create(ctx context.Context, name, handle string, about *string) (*ent.Page, error) {
	ctx, uid, err := rule.AuthorizeCreatePage(ctx)
	if err != nil {
		return nil, err
	}
	if name, err = account.ValidateName(name); err != nil {
		return nil, err
	}
	if err := account.ValidateHandle(handle); err != nil {
		return nil, err
	}
	if err := validateText("about", about, 2000); err != nil {
		return nil, err
	}
	var p *ent.Page
	err = store.InTx(ctx, s.client, func(tx *ent.Tx) error {
		taken, err := tx.Page.Query().Where(page.HandleKey(strings.ToLower(handle))).Exist(ctx)
		if err != nil {
			return err
		}
		if taken {
			return apierr.New(apierr.Conflict, "page handle is already taken")
		}
		now := s.clock.Now()
		p, err = tx.Page.Create().
			SetName(name).
			SetHandle(handle).
			SetHandleKey(strings.ToLower(handle)).
			SetNillableAbout(about).
			SetCreatedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		err = tx.PageMembership.Create().
			SetPageID(p.ID).
			SetUserID(uid).
			SetRole(viewer.RoleAdmin).
			SetCreatedAt(now).
			Exec(ctx)
		if err != nil {
			return err
		}
		pubsub.AfterCommit(tx, s.pub, s.log).Add(pubsub.Event{Topic: pubsub.AccessTopic(uid), Kind: pubsub.KindAccess, UserID: uid})
		return nil
	})
	if ent.IsConstraintError(err) {
		return nil, apierr.New(apierr.Conflict, "page handle is already taken")
	}
	if err != nil {
		return nil, err
	}
	return p.Unwrap(), nil
}

// UpdateInput holds the settings to change; nil fields stay as they are.
type UpdateInput struct {
	PageID           int
	Name             *string
	About            *string
	MessagingEnabled *bool
	AwayMessage      *string // "" clears it
	TimeZone         *string
	Availability     []schematype.AvailabilityWindow // nil keeps, empty = always open
}

// Update changes a page's settings (ADMIN).
func (s *Service) Update(ctx context.Context, in UpdateInput) (*ent.Page, error) {
	p, err := s.get(ctx, in.PageID)
	if err != nil {
		return nil, err
	}
	ctx, err = rule.AuthorizePageSettings(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	upd := p.Update()
	if in.Name != nil {
		name, err := account.ValidateName(*in.Name)
		if err != nil {
			return nil, err
		}
		upd.SetName(name)
	}
	if in.About != nil {
		if err := validateText("about", in.About, 2000); err != nil {
			return nil, err
		}
		upd.SetAbout(*in.About)
	}
	if in.MessagingEnabled != nil {
		upd.SetMessagingEnabled(*in.MessagingEnabled)
	}
	if in.AwayMessage != nil {
		if strings.TrimSpace(*in.AwayMessage) == "" {
			upd.ClearAwayMessage()
		} else {
			if err := validateText("awayMessage", in.AwayMessage, 1000); err != nil {
				return nil, err
			}
			upd.SetAwayMessage(*in.AwayMessage)
		}
	}
	tz, windows := p.TimeZone, p.Availability
	if in.TimeZone != nil {
		tz = *in.TimeZone
		upd.SetTimeZone(tz)
	}
	if in.Availability != nil {
		windows = in.Availability
		upd.SetAvailability(windows)
	}
	if err := rule.ValidateAvailability(tz, windows); err != nil {
		return nil, err
	}
	return upd.Save(ctx)
}

func validateText(field string, v *string, maxRunes int) error {
	if v == nil {
		return nil
	}
	if !utf8.ValidString(*v) || utf8.RuneCountInString(*v) > maxRunes {
		return apierr.Errorf(apierr.BadUserInput, "%s must be at most %d characters", field, maxRunes)
	}
	return nil
}

// ByHandle finds a page by handle, case-insensitively; nil when none.
func (s *Service) ByHandle(ctx context.Context, handle string) (*ent.Page, error) {
	p, err := s.client.Page.Query().Where(page.HandleKey(strings.ToLower(handle))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return p, err
}

// Search lists pages whose name contains the text or whose handle starts
// with it; all pages, oldest first, without a search.
func (s *Service) Search(ctx context.Context, first *int, after *entgql.Cursor[int], text string) (*ent.PageConnection, error) {
	text, err := searchText(text)
	if err != nil {
		return nil, err
	}
	q := s.client.Page.Query()
	if text != "" {
		q.Where(page.Or(page.NameContainsFold(text), page.HandleKeyHasPrefix(strings.ToLower(text))))
	}
	return q.Paginate(ctx, after, first, nil, nil)
}
