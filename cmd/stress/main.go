// Command stress runs the attacks of the 2026-11-30 audit (rule 29)
// against a real pageinbox process on loopback, in parallel with normal
// traffic, and reports the server's peak memory and the normal requests'
// latency. It is bounded in time (-for) and in what each attack sends.
//
//	go run ./cmd/stress                 # SQLite in a temporary directory, 30 s
//	go run ./cmd/stress -for 10s -db postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
//
// The server runs in development mode (introspection and suggestions on,
// the costlier case) with every other setting at its default. Targets:
// peak RSS under 300 MB, normal requests' p99 under 200 ms.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-serve" {
		serveMain()
		return
	}
	runFor := flag.Duration("for", 30*time.Second, "how long the attacks and the normal traffic run")
	db := flag.String("db", "", "DATABASE_URL for the server (empty: SQLite in a temporary directory)")
	only := flag.String("only", "", "run only the attacks whose names contain one of these comma-separated words")
	maxRSS := flag.Int("max-rss-mb", 300, "fail when the server's peak RSS reaches this (0: report only)")
	maxP99 := flag.Duration("max-p99", 200*time.Millisecond, "fail when normal requests' p99 reaches this (0: report only)")
	flag.Parse()
	if err := run(*runFor, *db, *only, int64(*maxRSS)<<20, *maxP99); err != nil {
		fmt.Fprintln(os.Stderr, "stress:", err)
		os.Exit(1)
	}
}

func run(runFor time.Duration, db, only string, maxRSS int64, maxP99 time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), runFor+2*time.Minute)
	defer cancel()
	srv, err := startServer(ctx, db)
	if err != nil {
		return err
	}
	defer srv.stop()
	c := &client{base: "http://" + srv.addr + "/query"}
	w, err := setUp(ctx, c)
	if err != nil {
		return fmt.Errorf("set up: %w", err)
	}
	idle, _ := srv.memory()
	fmt.Printf("server pid %d on %s; idle RSS %d MB; running for %s\n", srv.pid(), srv.addr, idle.rss>>20, runFor)

	// The same normal traffic alone first: what the machine gives
	// without the attacks (shared machines are slow on their own).
	base := &latencies{}
	bctx, bstop := context.WithTimeout(ctx, min(runFor/2, 10*time.Second))
	var bwg sync.WaitGroup
	for range 4 {
		bwg.Go(func() { normalTraffic(bctx, c, w, base) })
	}
	bwg.Wait()
	bstop()
	fmt.Printf("normal traffic alone: %d requests, p50 %s, p99 %s\n", base.n(), base.percentile(50), base.percentile(99))

	actx, stop := context.WithTimeout(ctx, runFor)
	defer stop()
	var (
		wg      sync.WaitGroup
		results []*result
		mu      sync.Mutex
	)
	for _, a := range attacks(c, w) {
		if !selected(a.name, only) {
			continue
		}
		wg.Go(func() {
			r := a.run(actx)
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		})
	}
	normal := &latencies{}
	for range 4 {
		wg.Go(func() { normalTraffic(actx, c, w, normal) })
	}
	peak := sampleMemory(actx, srv)
	wg.Wait()
	mem, _ := srv.memory()
	sort.Slice(results, func(i, j int) bool { return results[i].name < results[j].name })

	fmt.Printf("\n%-44s %8s  %s\n", "attack", "requests", "outcomes")
	for _, r := range results {
		fmt.Printf("%-44s %8d  %s\n", r.name, r.count(), r.outcomes())
	}
	p50, p99 := normal.percentile(50), normal.percentile(99)
	fmt.Printf("\nnormal requests: %d, %d failed; p50 %s, p99 %s (target < 200ms)\n", normal.n(), normal.failed(), p50, p99)
	fmt.Printf("server RSS: idle %d MB, peak sampled %d MB, high-water mark (VmHWM) %d MB (target < 300 MB)\n", idle.rss>>20, peak>>20, mem.hwm>>20)
	fmt.Printf("server log lines during the run: %d\n", srv.logLines())
	if (maxRSS > 0 && mem.hwm >= maxRSS) || (maxP99 > 0 && p99 >= maxP99) {
		return fmt.Errorf("over target: peak %d MB, p99 %s", mem.hwm>>20, p99)
	}
	return nil
}

func selected(name, only string) bool {
	if only == "" {
		return true
	}
	for _, word := range strings.Split(only, ",") {
		if word != "" && strings.Contains(name, word) {
			return true
		}
	}
	return false
}
