// Command rush is the deadline rush of scripts/perf-rush.sh: many sellers
// (the shops of `portal demo shops`) sign in through the real /login form
// and, for a while, do what sellers do before a deadline through the forms
// and htmx requests the browser sends: pick products, save price and stock
// rows as they type, submit, and ask for price edits on what is registered.
// Every request's latency and status is recorded; at the end it checks in
// PostgreSQL that each seller's last acknowledged write is what is stored.
//
//	go run ./scripts/perf/rush -base http://127.0.0.1:18090 -db postgres://... -sellers 200 -duration 60s
//
// With several -base addresses (comma-separated) each seller sends its
// requests to them in turn, so a session made on one instance is used on
// the others (they must share SESSION_KEYS).
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

func main() {
	bases := flag.String("base", "http://127.0.0.1:18090", "portal base URLs, comma-separated (requests go round-robin)")
	dbURL := flag.String("db", "postgres://postgres@127.0.0.1:5432/portal?sslmode=disable", "the portal's database, for the lost-write check")
	sellers := flag.Int("sellers", 200, "sellers rush-1 … rush-N")
	duration := flag.Duration("duration", 60*time.Second, "how long the rush lasts after every seller signed in")
	think := flag.Duration("think", 0, "mean pause between a seller's requests (0: the next request as soon as the last answered)")
	label := flag.String("label", "", "a name for this run in the output")
	flag.Parse()
	if err := run(*bases, *dbURL, *sellers, *duration, *think, *label); err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(1)
	}
}

func run(bases, dbURL string, n int, duration, think time.Duration, label string) error {
	ctx := context.Background()
	camps, err := openCampaigns(ctx, dbURL)
	if err != nil {
		return err
	}
	transport := &http.Transport{MaxIdleConns: 4 * n, MaxIdleConnsPerHost: 2 * n, IdleConnTimeout: 90 * time.Second}
	urls := strings.Split(bases, ",")
	ss := make([]*seller, n)
	for i := range ss {
		ss[i] = newSeller(i+1, urls, transport, camps, think, rand.New(rand.NewPCG(uint64(i), 77)))
	}

	// Sign every seller in first (20 at a time), so the rush itself is
	// only the deadline's work.
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 20)
	signInErrs := make([]error, n)
	for i, s := range ss {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			signInErrs[i] = s.signIn()
		}()
	}
	wg.Wait()
	for _, err := range signInErrs {
		if err != nil {
			return fmt.Errorf("signing in: %w", err)
		}
	}
	fmt.Printf("%d sellers signed in in %s\n", n, time.Since(start).Round(time.Millisecond))

	deadline := time.Now().Add(duration)
	start = time.Now()
	for _, s := range ss {
		s.stats = stats{} // the rush only, not the sign-ins
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.rush(deadline)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	var all stats
	for _, s := range ss {
		all.merge(&s.stats)
	}
	lost, checked, err := checkWrites(ctx, dbURL, ss)
	if err != nil {
		return err
	}
	all.report(os.Stdout, label, n, elapsed, think)
	fmt.Printf("lost writes: %d of %d acknowledged last writes checked in PostgreSQL\n", len(lost), checked)
	for i, l := range lost {
		if i == 20 {
			fmt.Printf("  … %d more\n", len(lost)-20)
			break
		}
		fmt.Println("  " + l)
	}
	return nil
}
