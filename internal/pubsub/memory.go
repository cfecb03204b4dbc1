package pubsub

import "context"

// Memory is the broker of a single process (the SQLite mode): publishing
// delivers to the local hub at once.
type Memory struct {
	hub *Hub
}

// NewMemory returns an in-process broker.
func NewMemory(buffer int) *Memory { return &Memory{hub: NewHub(buffer)} }

// Publish delivers the events to local subscribers.
func (m *Memory) Publish(_ context.Context, events ...Event) error {
	for _, ev := range events {
		m.hub.Deliver(ev)
	}
	return nil
}

// Local delivers to local subscribers (all there are).
func (m *Memory) Local(ev Event) { m.hub.Deliver(ev) }

// Watch registers a local subscription of the server itself.
func (m *Memory) Watch(topics ...string) *Subscription { return m.hub.Watch(topics...) }

// Subscribe registers a local subscription.
func (m *Memory) Subscribe(topics ...string) *Subscription { return m.hub.Subscribe(topics...) }

// Subscribers counts open subscriptions.
func (m *Memory) Subscribers() int { return m.hub.Len() }

// Dropped counts overflowed events.
func (m *Memory) Dropped() int64 { return m.hub.Dropped() }

// Hub exposes the local hub (tests simulate a lost connection with it).
func (m *Memory) Hub() *Hub { return m.hub }

// Close has nothing to release.
func (m *Memory) Close() error { return nil }
