// Command orderevents accepts the events genorders -events wrote, through
// the code behind POST /api/v1/orders/:order_id/events (one transaction an
// event, the order row locked), on several connections at once: an
// order's events in turn on one of them. For scripts/perf-performance.sh.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"campaignportal/models/database"
	"campaignportal/models/orders"
)

type event struct {
	OrderID string              `json:"order_id"`
	Kind    string              `json:"kind"`
	At      time.Time           `json:"at"`
	Lines   []orders.ReturnLine `json:"lines"`
}

func main() {
	shop := flag.String("shop", "", "the shop's public id")
	workers := flag.Int("workers", 4, "connections accepting events at once")
	flag.Parse()
	if *shop == "" || flag.NArg() != 1 || os.Getenv("DATABASE_URL") == "" {
		fmt.Fprintln(os.Stderr, "usage: DATABASE_URL=… orderevents -shop ID EVENTS.ndjson")
		os.Exit(2)
	}
	if err := run(context.Background(), *shop, *workers, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "orderevents:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, shop string, workers int, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	// An order's events are on consecutive lines.
	var batches [][]event
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return err
		}
		if n := len(batches); n > 0 && batches[n-1][0].OrderID == e.OrderID {
			batches[n-1] = append(batches[n-1], e)
		} else {
			batches = append(batches, []event{e})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	db, err := database.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	store := orders.NewStore(db)
	work := make(chan []event)
	var accepted, refused atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for evs := range work {
				for _, e := range evs {
					_, err := store.AddOrderEvent(ctx, shop, e.OrderID, orders.OrderEvent{Kind: orders.OrderEventKind(e.Kind), At: e.At, Lines: e.Lines})
					if err != nil {
						if refused.Add(1) <= 5 {
							fmt.Fprintf(os.Stderr, "%s %s: %v\n", e.OrderID, e.Kind, err)
						}
						break
					}
					accepted.Add(1)
				}
			}
		}()
	}
	for _, evs := range batches {
		work <- evs
	}
	close(work)
	wg.Wait()
	took := time.Since(start)
	fmt.Printf("%d events of %d orders accepted in %s (%.1f ms an event on %d connections), %d refused\n",
		accepted.Load(), len(batches), took.Round(time.Millisecond), float64(took.Milliseconds())/float64(max(accepted.Load(), 1)), workers, refused.Load())
	return nil
}
