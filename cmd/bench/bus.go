package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pageinbox/internal/pubsub"
	"pageinbox/internal/store"
)

// The bus section compares the two multi-replica event buses side by side
// in one run: PostgreSQL LISTEN/NOTIFY and NATS JetStream (with its
// transactional outbox). Three replica processes (this binary with
// -bus-replica) share one database; each commits events to random pages'
// topics at a third of the target rate, through pubsub.AfterCommit as the
// services do, and measures the latency of the events the other replicas
// committed (commit to arrival; the processes share the machine's clock).
//
// Two measurements:
//   - the ceiling: the target rate goes up step by step while every
//     replica watches every page; the last rate whose cross-replica p99
//     stays under 100 ms (and that the replicas actually sustained) is
//     the bus's ceiling;
//   - the cost: at a fixed rate, committed on replica 0, each replica
//     watches a third of the pages (its clients' pages); the CPU the two
//     others spend per event committed (following the bus, not writing).
//
// The transactions hold the events only (NOTIFY: none; JetStream: the
// outbox rows), so what differs is the bus, not the writes around it.

const busPages = 30

// busStepRates are the ceiling search's target rates (events/s, all
// replicas together).
var busStepRates = []int{50, 100, 200, 400, 800, 1200, 1600, 2400, 3200, 4800, 6400}

func benchBus(ctx context.Context, o options, t *table) error {
	natsURL := envOr("PAGEINBOX_BENCH_NATS_URL", "nats://127.0.0.1:4222")
	type result struct {
		ceiling int
		p99     time.Duration
		cpu     time.Duration
		rate    int
	}
	res := map[string]result{}
	steps := map[int][]string{}
	for _, mode := range []string{"notify", "jetstream"} {
		db, err := newDatabase(o, "bus")
		if err != nil {
			return err
		}
		st, err := store.Open(ctx, store.Config{DatabaseURL: db.url}) // migrate once, before the replicas start
		if err != nil {
			db.drop()
			return err
		}
		_ = st.Close()
		bus := ""
		if mode == "jetstream" {
			prefix := fmt.Sprintf("bench%d", time.Now().UnixNano()%1e9)
			bus = natsURL + "/" + prefix
			defer deleteStream(natsURL, strings.ToUpper(prefix)+"_EVENTS")
		}
		reps, err := startBusReplicas(ctx, db.url, bus)
		if err != nil {
			db.drop()
			return err
		}
		logf("bus %s: three replicas ready", mode)
		r := result{}
		// A shared machine's noise can fail one step: the search stops
		// after two misses in a row (or a rate the replicas could not
		// commit), and the ceiling is the highest rate that was met.
		misses := 0
		for _, rate := range busStepRates {
			out, err := busStep(reps, "all", rate, len(reps), 3*time.Second)
			if err != nil {
				stopBusReplicas(reps)
				db.drop()
				return err
			}
			line := fmt.Sprintf("%d sustained, p99 %s, load %s", out.rate, ms(out.p99), loadAvg())
			logf("bus %s: %d events/s target: %s", mode, rate, line)
			steps[rate] = append(steps[rate], mode+" "+line)
			if out.rate < rate*9/10 {
				break
			}
			if out.p99 >= 100*time.Millisecond {
				if misses++; misses == 2 {
					break
				}
				continue
			}
			misses = 0
			r.ceiling, r.p99 = out.rate, out.p99
		}
		const costRate = 300
		out, err := busStep(reps, "third", costRate, 1, 4*time.Second)
		logf("bus %s: a third of the pages watched, %d events/s committed on replica 0: CPU per event of replicas 1 and 2 %.0f µs", mode, out.rate, us(out.cpuPerEvent))
		stopBusReplicas(reps)
		db.drop()
		if err != nil {
			return err
		}
		r.cpu, r.rate = out.cpuPerEvent, out.rate
		res[mode] = r
	}
	n, j := res["notify"], res["jetstream"]
	t.add("bus", "3 replicas, every replica watches all 30 pages", "load avg "+loadAvg(), "", "")
	t.add("bus", "sustained events/s with cross-replica p99 < 100 ms: NOTIFY / JetStream",
		fmt.Sprintf("%d (p99 %s) / %d (p99 %s)", n.ceiling, ms(n.p99), j.ceiling, ms(j.p99)), "", "")
	for _, rate := range busStepRates {
		if len(steps[rate]) > 0 {
			t.add("bus", fmt.Sprintf("  at %d events/s", rate), strings.Join(steps[rate], "; "), "", "")
		}
	}
	t.add("bus", "CPU per event of a replica that follows (clients watch 1/3 of pages; events committed on another): NOTIFY / JetStream",
		fmt.Sprintf("%.0f µs / %.0f µs (at %d events/s)", us(n.cpu), us(j.cpu), min(n.rate, j.rate)), "", "")
	return nil
}

// loadAvg is the machine's 1-minute load average (other work shares it).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

func deleteStream(server, name string) {
	nc, err := nats.Connect(server)
	if err != nil {
		return
	}
	defer nc.Close()
	if js, err := jetstream.New(nc); err == nil {
		_ = js.DeleteStream(context.Background(), name)
	}
}

// busReplica is one -bus-replica process.
type busReplica struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startBusReplicas(ctx context.Context, dbURL, bus string) ([]*busReplica, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var reps []*busReplica
	for i := range 3 {
		cmd := exec.CommandContext(ctx, self, "-bus-replica", strconv.Itoa(i), dbURL, bus)
		cmd.Stderr = os.Stderr
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			stopBusReplicas(reps)
			return nil, err
		}
		r := &busReplica{cmd: cmd, in: in, out: bufio.NewReader(out)}
		reps = append(reps, r)
		if line, err := r.out.ReadString('\n'); err != nil || strings.TrimSpace(line) != "READY" {
			stopBusReplicas(reps)
			return nil, fmt.Errorf("bus replica did not start: %q: %w", line, err)
		}
	}
	return reps, nil
}

func stopBusReplicas(reps []*busReplica) {
	for _, r := range reps {
		_ = r.in.Close()
		_ = r.cmd.Wait()
	}
}

type stepResult struct {
	rate        int
	p99         time.Duration
	cpuPerEvent time.Duration
}

// busStep runs one step on every replica and merges their answers.
// With publishers < len(reps) only the first publishers replicas commit,
// and the CPU is the others' (what following the bus costs a replica).
func busStep(reps []*busReplica, watch string, rate, publishers int, d time.Duration) (stepResult, error) {
	for i, r := range reps {
		each := 0
		if i < publishers {
			each = rate / publishers
		}
		if _, err := fmt.Fprintf(r.in, "step %s %d %d\n", watch, each, d.Milliseconds()); err != nil {
			return stepResult{}, err
		}
	}
	var sent int
	var p99 time.Duration
	var cpu time.Duration
	followers := len(reps)
	if publishers < len(reps) {
		followers = len(reps) - publishers
	}
	for i, r := range reps {
		line, err := r.out.ReadString('\n')
		if err != nil {
			return stepResult{}, fmt.Errorf("bus replica: %w", err)
		}
		var s, recv int
		var p99us, cpuUs int64
		if _, err := fmt.Sscanf(line, "RESULT %d %d %d %d", &s, &recv, &p99us, &cpuUs); err != nil {
			return stepResult{}, fmt.Errorf("bus replica answered %q", line)
		}
		sent += s
		p99 = max(p99, time.Duration(p99us)*time.Microsecond)
		if publishers == len(reps) || i >= publishers {
			cpu += time.Duration(cpuUs) * time.Microsecond
		}
	}
	out := stepResult{rate: int(float64(sent) / d.Seconds()), p99: p99}
	if sent > 0 {
		out.cpuPerEvent = cpu / time.Duration(followers) / time.Duration(sent)
	}
	return out, nil
}

// busReplicaMain is one replica: it reads steps on stdin and answers
// RESULT <sent> <received> <p99 µs> <cpu µs> for each.
func busReplicaMain(args []string) {
	idx, _ := strconv.Atoi(args[0])
	dbURL, bus := args[1], args[2]
	ctx := context.Background()
	fail := func(err error) { fmt.Fprintln(os.Stderr, "bus replica:", err); os.Exit(1) }
	st, err := store.Open(ctx, store.Config{DatabaseURL: dbURL})
	if err != nil {
		fail(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	var b pubsub.Broker
	if bus != "" {
		b, err = pubsub.NewNATS(ctx, pubsub.NATSConfig{URL: bus, Client: st.Client, Buffer: 4096, Log: log})
	} else {
		b, err = pubsub.NewPostgres(st.DSN, st.DB, 4096, log)
	}
	if err != nil {
		fail(err)
	}
	defer b.Close()
	fmt.Println("READY")

	var (
		mu   sync.Mutex
		lats []time.Duration
		recv atomic.Int64
	)
	var subs []*pubsub.Subscription
	watch := func(which string) {
		for _, s := range subs {
			s.Close()
		}
		subs = nil
		for p := range busPages {
			if which == "all" || p%3 == idx {
				s := b.Subscribe(pubsub.PageTopic(p))
				subs = append(subs, s)
				go func() {
					for ev := range s.C {
						recv.Add(1)
						if ev.UserID != idx {
							l := time.Since(time.UnixMicro(ev.At))
							mu.Lock()
							lats = append(lats, l)
							mu.Unlock()
						}
					}
				}()
			}
		}
	}
	in := bufio.NewScanner(os.Stdin)
	watching := ""
	for in.Scan() {
		var which string
		var rate, msDur int
		if _, err := fmt.Sscanf(in.Text(), "step %s %d %d", &which, &rate, &msDur); err != nil {
			fail(fmt.Errorf("command %q: %w", in.Text(), err))
		}
		if which != watching {
			watch(which)
			watching = which
		}
		mu.Lock()
		lats = lats[:0]
		mu.Unlock()
		recv.Store(0)
		cpu0 := cpuTime(os.Getpid())
		sent := commitAtRate(ctx, st, b, idx, rate, time.Duration(msDur)*time.Millisecond)
		time.Sleep(time.Second) // the last events arrive
		cpu := cpuTime(os.Getpid()) - cpu0
		mu.Lock()
		p99 := percentile(lats, 99)
		mu.Unlock()
		fmt.Printf("RESULT %d %d %d %d\n", sent, recv.Load(), p99.Microseconds(), cpu.Microseconds())
	}
}

// commitAtRate commits one event per transaction at rate events/s for d,
// with enough workers that the database's commit time does not cap the
// rate; it returns how many it committed.
func commitAtRate(ctx context.Context, st *store.Store, b pubsub.Broker, idx, rate int, d time.Duration) int {
	if rate <= 0 {
		return 0
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tokens := make(chan struct{}, 64)
	var sent atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for range tokens {
				tx, err := st.Client.Tx(ctx)
				if err != nil {
					continue
				}
				page := rand.IntN(busPages)
				pubsub.AfterCommit(tx, b, log).Add(pubsub.Event{Topic: pubsub.PageTopic(page), Kind: pubsub.KindInbox,
					PageID: page, UserID: idx, At: time.Now().UnixMicro()})
				if tx.Commit() == nil {
					sent.Add(1)
				}
			}
		})
	}
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for n := 0; time.Since(start) < d; n++ {
		if wait := time.Until(start.Add(time.Duration(n) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case tokens <- struct{}{}:
		default: // the workers are behind: this event is not sent
		}
	}
	close(tokens)
	wg.Wait()
	return int(sent.Load())
}
