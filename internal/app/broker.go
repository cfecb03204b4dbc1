package app

import (
	"context"
	"errors"
	"log/slog"

	"pageinbox/internal/pubsub"
	"pageinbox/internal/store"
)

// newBroker picks the event bus: NATS JetStream when PAGEINBOX_EVENT_BUS
// names one, LISTEN/NOTIFY between replicas of one PostgreSQL database,
// and the process itself on SQLite (one process only).
func newBroker(ctx context.Context, cfg Config, st *store.Store, log *slog.Logger) (pubsub.Broker, error) {
	switch {
	case cfg.EventBus != "":
		if !st.Postgres() {
			// The outbox would work, but replicas cannot share a SQLite
			// file: the bus would only add a hop.
			return nil, errors.New("PAGEINBOX_EVENT_BUS needs DATABASE_URL (PostgreSQL): replicas share the database and its outbox")
		}
		return pubsub.NewNATS(ctx, pubsub.NATSConfig{URL: cfg.EventBus, Client: st.Client, Buffer: cfg.EventBuffer, Log: log})
	case st.Postgres():
		// Replicas on one database hear each other through LISTEN/NOTIFY.
		return pubsub.NewPostgres(st.DSN, st.DB, cfg.EventBuffer, log)
	default:
		return pubsub.NewMemory(cfg.EventBuffer), nil
	}
}
