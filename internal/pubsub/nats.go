package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pageinbox/ent"
)

// NATS is the broker of replicas sharing a NATS JetStream server
// (PAGEINBOX_EVENT_BUS=nats://host:port[/prefix]).
//
// Subjects carry the audience: a thread's events go to
// <prefix>.events.thread.<id>, a page's inbox to <prefix>.events.page.<id>,
// a user's to <prefix>.events.user.<id>. A replica follows only the
// subjects its own clients watch: the first local subscription to a topic
// opens an ordered consumer filtered to its subject, the last one to close
// stops it. So a replica's cost follows its own clients, not the whole
// system's traffic (with LISTEN/NOTIFY every replica decodes every event).
//
// Two purposes, two paths:
//   - stored changes (messages, inbox changes, notifications, revocations)
//     go through the stream <PREFIX>_EVENTS, written to it by the outbox
//     relay (Outbox) with Nats-Msg-Id = the event id. An ordered consumer
//     resumes from the last stream sequence it processed when the
//     connection comes back, so a NATS restart loses nothing;
//   - signals (typing, who views a thread) are never stored and are
//     renewed while they last: they go over plain NATS subjects
//     (<prefix>.signals.<audience>), which cost no disk write.
//
// The database stays the source of truth: a subscription whose topic
// could not be followed for a while is flagged as lossy and resynchronises
// from it (internal/live), as with the other brokers.
type NATS struct {
	hub    *Hub
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	outbox *Outbox
	log    *slog.Logger
	prefix string

	mu       sync.Mutex
	interest map[string]*interest
	closed   bool

	stats natsStats
	obs   observerSlot
}

// interest is one topic this replica follows for its local subscribers.
type interest struct {
	refs  int
	ready chan struct{} // closed once the first attempt to follow ended
	// stopped is set when the last subscriber left; a consumer still
	// being opened is then stopped as soon as it is open.
	stopped bool
	cons    jetstream.ConsumeContext
	sig     *nats.Subscription
	// consumer is the ordered consumer, deleted on the server when the
	// topic is let go (not left to expire).
	consumer jetstream.Consumer
}

// natsStats are the counters BusStats reports.
type natsStats struct {
	delivered  atomic.Int64
	reconnects atomic.Int64
	lagNanos   atomic.Int64 // of the last stored event delivered
	maxLag     atomic.Int64
	consumers  atomic.Int64
	signals    atomic.Int64
}

// BusStats describes the event bus of one replica (for metrics: the lead
// wires them into the Prometheus collector).
type BusStats struct {
	// Topics is how many topics this replica follows (its clients'
	// audiences); Consumers and SignalSubs are the NATS consumers and
	// plain subscriptions it holds for them.
	Topics, Consumers, SignalSubs int
	// Delivered counts events received from NATS; Reconnects counts
	// reconnections of the NATS connection.
	Delivered, Reconnects int64
	// Lag is the time from a stored event entering the stream to this
	// replica receiving it (the last one; MaxLag the largest seen).
	Lag, MaxLag time.Duration
	// OutboxHeld is the outbox rows this replica holds unpublished;
	// Relayed counts the rows it published, RelayFailures its failed
	// attempts (NATS unreachable).
	OutboxHeld             int
	Relayed, RelayFailures int64
}

// NATSConfig configures NewNATS.
type NATSConfig struct {
	// URL is nats://host:port, optionally with a path naming the subject
	// prefix and stream (nats://host:4222/acme: subjects acme.*, stream
	// ACME_EVENTS; default pageinbox), so that deployments or tests can
	// share one NATS server.
	URL    string
	Client *ent.Client
	Buffer int
	Log    *slog.Logger
	// MaxAge is how long the stream keeps events (default 24 h): the
	// longest outage a replica resumes from without resynchronising.
	MaxAge time.Duration
}

// ParseBusURL splits a PAGEINBOX_EVENT_BUS value into the server URL and
// the subject prefix.
func ParseBusURL(raw string) (server, prefix string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("pubsub: event bus url: %w", err)
	}
	if u.Scheme != "nats" && u.Scheme != "tls" {
		return "", "", fmt.Errorf("pubsub: event bus url %q: want nats://host:port", raw)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix == "" {
		prefix = "pageinbox"
	}
	for _, r := range prefix {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "", "", fmt.Errorf("pubsub: event bus prefix %q: letters, digits, _ and - only", prefix)
		}
	}
	u.Path = ""
	return u.String(), prefix, nil
}

// NewNATS connects to NATS, makes sure the stream exists and starts the
// outbox relay.
func NewNATS(ctx context.Context, cfg NATSConfig) (*NATS, error) {
	server, prefix, err := ParseBusURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	n := &NATS{hub: NewHub(cfg.Buffer), log: cfg.Log, prefix: prefix, interest: make(map[string]*interest)}
	n.nc, err = nats.Connect(server,
		nats.Name("pageinbox"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(100*time.Millisecond),
		nats.ReconnectBufSize(-1), // publishes fail fast while disconnected; the outbox retries
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			n.log.Warn("event bus disconnected; reconnecting", "err", err)
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			n.stats.reconnects.Add(1)
			n.obs.reconnected()
			n.log.Info("event bus reconnected; consumers resume from their last sequence")
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("pubsub: connect to %s: %w", server, err)
	}
	if n.js, err = jetstream.New(n.nc); err != nil {
		n.nc.Close()
		return nil, fmt.Errorf("pubsub: jetstream: %w", err)
	}
	maxAge := cfg.MaxAge
	if maxAge <= 0 {
		maxAge = 24 * time.Hour
	}
	n.stream, err = n.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        n.StreamName(),
		Description: "pageinbox live events (stored changes), relayed from the database outbox",
		Subjects:    []string{prefix + ".events.>"},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      maxAge,
		// Relay retries within this window are dropped by event id.
		Duplicates: 2 * time.Minute,
	})
	if err != nil {
		n.nc.Close()
		return nil, fmt.Errorf("pubsub: stream %s: %w", n.StreamName(), err)
	}
	n.outbox = newOutbox(cfg.Client, n.relay, cfg.Log)
	return n, nil
}

// StreamName is the JetStream stream of stored events.
func (n *NATS) StreamName() string {
	return strings.ToUpper(strings.ReplaceAll(n.prefix, "-", "_")) + "_EVENTS"
}

// subject is the stream subject of a topic ("thread:12" ->
// "<prefix>.events.thread.12").
func (n *NATS) subject(topic string) string {
	return n.prefix + ".events." + strings.ReplaceAll(topic, ":", ".")
}

// signalSubject is the plain subject of a topic's signals.
func (n *NATS) signalSubject(topic string) string {
	return n.prefix + ".signals." + strings.ReplaceAll(topic, ":", ".")
}

// isSignal tells whether an event is a signal: never stored, renewed
// while it lasts.
func isSignal(k Kind) bool { return k == KindTyping || k == KindViewing }

// carriesSignals tells whether a topic has signals to follow.
func carriesSignals(topic string) bool {
	return topic == ViewingTopic() || strings.HasPrefix(topic, "thread:")
}

// Stage writes the events of a transaction to the outbox (see
// AfterCommit); signals among them are published directly after commit.
func (n *NATS) Stage(ctx context.Context, tx *ent.Tx, events []Event) (func(), error) {
	var stored, signals []Event
	for _, ev := range events {
		if isSignal(ev.Kind) {
			signals = append(signals, ev)
		} else {
			stored = append(stored, ev)
		}
	}
	after := func() {}
	if len(stored) > 0 {
		var err error
		if after, err = n.outbox.Stage(ctx, tx, stored); err != nil {
			return nil, err
		}
	}
	return func() {
		after()
		if len(signals) > 0 {
			_ = n.Publish(ctx, signals...)
		}
	}, nil
}

// relay publishes outbox rows to the stream, in order, and waits for every
// acknowledgement.
func (n *NATS) relay(ctx context.Context, rows []outboxRow) error {
	futures := make([]jetstream.PubAckFuture, 0, len(rows))
	for _, r := range rows {
		m, err := n.message(r.event, r.eventID)
		if err != nil {
			return err
		}
		f, err := n.js.PublishMsgAsync(m)
		if err != nil {
			return err
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return err
		case <-timeout.C:
			return errors.New("pubsub: no acknowledgement from the stream")
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// message builds the stream message of a stored event.
func (n *NATS) message(ev Event, id string) (*nats.Msg, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	m := nats.NewMsg(n.subject(ev.Topic))
	m.Data = b
	m.Header.Set(jetstream.MsgIDHeader, id)
	return m, nil
}

// Publish sends events that are not part of a transaction: signals over
// plain subjects, stored ones (revocations) to the stream directly. It
// returns at once; a stored event the stream did not take makes local
// subscribers resynchronise.
func (n *NATS) Publish(_ context.Context, events ...Event) error {
	for _, ev := range events {
		if isSignal(ev.Kind) {
			b, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			// Best effort by design: a signal missed is renewed or expires.
			_ = n.nc.Publish(n.signalSubject(ev.Topic), b)
			continue
		}
		m, err := n.message(ev, uuid.NewString())
		if err != nil {
			return err
		}
		f, err := n.js.PublishMsgAsync(m)
		if err != nil {
			n.log.Error("publish event; subscribers resynchronise", "err", err)
			n.hub.LoseAll()
			continue
		}
		go func() {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				n.log.Error("publish event; subscribers resynchronise", "err", err)
				n.hub.LoseAll()
			}
		}()
	}
	return nil
}

// Subscribe registers a local subscription and follows its topics.
func (n *NATS) Subscribe(topics ...string) *Subscription {
	return n.follow(n.hub.Subscribe(topics...), topics)
}

// Watch is Subscribe for the server's own use.
func (n *NATS) Watch(topics ...string) *Subscription {
	return n.follow(n.hub.Watch(topics...), topics)
}

// follow makes sure this replica follows the topics while s is open. The
// hub subscription exists first, so nothing the consumer delivers is
// missed; the consumer starts after the stream's current last sequence,
// so nothing published after Subscribe returned is missed either.
func (n *NATS) follow(s *Subscription, topics []string) *Subscription {
	s.release = func() {
		for _, t := range topics {
			n.unwatch(t)
		}
	}
	for _, t := range topics {
		n.watch(t)
	}
	return s
}

// watch follows topic, or counts one more local subscriber of it.
func (n *NATS) watch(topic string) {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	in := n.interest[topic]
	if in != nil {
		in.refs++
		n.mu.Unlock()
		<-in.ready
		return
	}
	in = &interest{refs: 1, ready: make(chan struct{})}
	n.interest[topic] = in
	n.mu.Unlock()
	defer close(in.ready)
	if err := n.open(in, topic); err != nil {
		// NATS is away: keep trying; the topic's subscribers
		// resynchronise once it is followed.
		n.log.Warn("event bus: cannot follow topic yet; retrying", "topic", topic, "err", err)
		go n.retryOpen(in, topic)
	}
}

// retryOpen follows topic once NATS answers, unless nobody watches it any
// more.
func (n *NATS) retryOpen(in *interest, topic string) {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		time.Sleep(wait)
		n.mu.Lock()
		gone := in.stopped || n.closed
		n.mu.Unlock()
		if gone {
			return
		}
		if n.open(in, topic) == nil {
			n.hub.LoseTopic(topic)
			return
		}
	}
}

// open starts the consumer (and signal subscription) of one topic.
func (n *NATS) open(in *interest, topic string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info, err := n.stream.Info(ctx)
	if err != nil {
		return err
	}
	cons, err := n.js.OrderedConsumer(ctx, n.StreamName(), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{n.subject(topic)},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    info.State.LastSeq + 1,
		// A replica that dies without deleting its consumers leaves
		// them for this long.
		InactiveThreshold: time.Minute,
	})
	if err != nil {
		return err
	}
	cc, err := cons.Consume(n.deliver, jetstream.PullMaxMessages(64),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			if !errors.Is(err, jetstream.ErrNoHeartbeat) && !errors.Is(err, nats.ErrConnectionClosed) {
				n.log.Debug("event bus consumer", "topic", topic, "err", err)
			}
		}))
	if err != nil {
		return err
	}
	var sig *nats.Subscription
	if carriesSignals(topic) {
		if sig, err = n.nc.Subscribe(n.signalSubject(topic), n.deliverSignal); err != nil {
			cc.Stop()
			return err
		}
	}
	n.mu.Lock()
	stopped := in.stopped
	if !stopped {
		in.cons, in.sig, in.consumer = cc, sig, cons
	}
	n.mu.Unlock()
	if stopped {
		n.stop(cc, sig, cons)
		return nil
	}
	n.stats.consumers.Add(1)
	if sig != nil {
		n.stats.signals.Add(1)
	}
	return nil
}

// stop ends one topic's consumer and signal subscription, and deletes
// the consumer on the server.
func (n *NATS) stop(cc jetstream.ConsumeContext, sig *nats.Subscription, cons jetstream.Consumer) {
	if cc != nil {
		cc.Stop()
	}
	if sig != nil {
		_ = sig.Unsubscribe()
	}
	if cons == nil {
		return
	}
	if info := cons.CachedInfo(); info != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		// Best effort: the server drops it after InactiveThreshold anyway.
		_ = n.js.DeleteConsumer(ctx, n.StreamName(), info.Name)
	}
}

// unwatch counts one local subscriber of topic fewer and stops following
// it after the last.
func (n *NATS) unwatch(topic string) {
	n.mu.Lock()
	in := n.interest[topic]
	if in == nil {
		n.mu.Unlock()
		return
	}
	in.refs--
	if in.refs > 0 {
		n.mu.Unlock()
		return
	}
	delete(n.interest, topic)
	in.stopped = true
	cc, sig, cons := in.cons, in.sig, in.consumer
	n.mu.Unlock()
	if cc != nil {
		n.stats.consumers.Add(-1)
	}
	if sig != nil {
		n.stats.signals.Add(-1)
	}
	n.stop(cc, sig, cons)
}

// deliver hands a stream message to the local hub.
func (n *NATS) deliver(m jetstream.Msg) {
	var ev Event
	if err := json.Unmarshal(m.Data(), &ev); err != nil {
		n.log.Error("undecodable event", "err", err)
		return
	}
	if md, err := m.Metadata(); err == nil {
		lag := int64(time.Since(md.Timestamp))
		n.stats.lagNanos.Store(lag)
		n.obs.received(time.Duration(lag))
		for {
			old := n.stats.maxLag.Load()
			if lag <= old || n.stats.maxLag.CompareAndSwap(old, lag) {
				break
			}
		}
	}
	n.stats.delivered.Add(1)
	n.hub.Deliver(ev)
}

// deliverSignal hands a signal to the local hub.
func (n *NATS) deliverSignal(m *nats.Msg) {
	var ev Event
	if err := json.Unmarshal(m.Data, &ev); err != nil {
		n.log.Error("undecodable signal", "err", err)
		return
	}
	n.stats.delivered.Add(1)
	n.hub.Deliver(ev)
}

// Local delivers to this replica's subscribers only.
func (n *NATS) Local(ev Event) { n.hub.Deliver(ev) }

// Subscribers counts local client subscriptions.
func (n *NATS) Subscribers() int { return n.hub.Len() }

// Dropped counts overflowed events.
func (n *NATS) Dropped() int64 { return n.hub.Dropped() }

// Topics lists the topics this replica follows (tests: interest follows
// the local subscriptions).
func (n *NATS) Topics() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, 0, len(n.interest))
	for t := range n.interest {
		out = append(out, t)
	}
	return out
}

// Stats returns the bus's counters.
func (n *NATS) Stats() BusStats {
	n.mu.Lock()
	topics := len(n.interest)
	n.mu.Unlock()
	return BusStats{
		Topics:        topics,
		Consumers:     int(n.stats.consumers.Load()),
		SignalSubs:    int(n.stats.signals.Load()),
		Delivered:     n.stats.delivered.Load(),
		Reconnects:    n.stats.reconnects.Load(),
		Lag:           time.Duration(n.stats.lagNanos.Load()),
		MaxLag:        time.Duration(n.stats.maxLag.Load()),
		OutboxHeld:    n.outbox.Pending(),
		Relayed:       n.outbox.relayed.Load(),
		RelayFailures: n.outbox.failed.Load(),
	}
}

// Close stops the relay and every consumer and closes the connection.
// Rows still held are relayed by a replica's sweep once their lease ends.
func (n *NATS) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	all := n.interest
	n.interest = map[string]*interest{}
	n.mu.Unlock()
	n.outbox.close()
	for _, in := range all {
		<-in.ready
		n.mu.Lock()
		in.stopped = true
		cc, sig, cons := in.cons, in.sig, in.consumer
		n.mu.Unlock()
		n.stop(cc, sig, cons)
	}
	n.nc.Close()
	return nil
}
