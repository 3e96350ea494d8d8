// Command genorders writes N synthetic orders as NDJSON for the speed
// measurements in scripts/perf-orders.sh and scripts/perf-performance.sh:
// about 2.5 lines an order over a shop's SKUs, seller discounts, shipping
// and, on some orders, a coupon. With -plan the orders are spread over
// several campaigns' runs; with -events it also writes events for a sample
// of them. Deterministic for a given seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"
)

// window is where a share of the orders is placed: one campaign's run,
// its SKUs and its coupon.
type window struct {
	weight int
	start  time.Time
	spread time.Duration
	coupon string
	codes  []string
}

func main() {
	n := flag.Int("n", 1000000, "orders")
	shop := flag.String("shop", "MAPLE-1001", "the shop's public id")
	skus := flag.String("skus", "", "comma-separated SKU ids to use")
	coupon := flag.String("coupon", "", "a coupon id to put on one order in four")
	from := flag.String("from", "2026-07-28T07:00:00Z", "first placed_at")
	spread := flag.Duration("spread", 10*24*time.Hour, "placed_at spread")
	plan := flag.String("plan", "", `file of windows to spread the orders over instead of -skus, -coupon, -from and -spread, one a line: "WEIGHT FROM SPREAD COUPON SKUS" (COUPON "-" for none)`)
	others := flag.String("others", "", "with -plan: comma-separated SKU ids of the shop's other products")
	otherShare := flag.Float64("other-share", 0.3, "with -plan and -others: the share of lines that are other products")
	events := flag.String("events", "", "write events (completed, cancelled, returned) for a sample of the orders to this file")
	eventEvery := flag.Int("event-every", 1, "with -events: events for one order in this many")
	prefix := flag.String("prefix", "PERF-", "order id prefix")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	var windows []window
	var err error
	if *plan != "" {
		windows, err = readPlan(*plan)
	} else {
		var start time.Time
		start, err = time.Parse(time.RFC3339, *from)
		windows = []window{{weight: 1, start: start, spread: *spread, coupon: *coupon, codes: strings.Split(*skus, ",")}}
		if *skus == "" {
			windows[0].codes = nil
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genorders:", err)
		os.Exit(2)
	}
	total := 0
	for _, w := range windows {
		if len(w.codes) < 3 {
			fmt.Fprintln(os.Stderr, "genorders: give at least three SKUs with -skus (or per line of -plan)")
			os.Exit(2)
		}
		total += w.weight
	}
	var otherCodes []string
	if *plan != "" && *others != "" {
		otherCodes = strings.Split(*others, ",")
	}
	var ev *bufio.Writer
	if *events != "" {
		f, err := os.Create(*events)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genorders:", err)
			os.Exit(2)
		}
		defer f.Close()
		ev = bufio.NewWriterSize(f, 1<<20)
		defer ev.Flush()
	}
	rng := rand.New(rand.NewSource(*seed))
	evRng := rand.New(rand.NewSource(*seed + 1)) // apart, so -events changes no order
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	var b strings.Builder
	var picked []string
	for i := 0; i < *n; i++ {
		b.Reset()
		win := windows[0]
		if len(windows) > 1 {
			k := rng.Intn(total)
			for _, x := range windows {
				if k < x.weight {
					win = x
					break
				}
				k -= x.weight
			}
		}
		codes := win.codes
		placed := win.start.Add(time.Duration(rng.Int63n(int64(win.spread)))).Truncate(time.Second)
		fmt.Fprintf(&b, `{"order_id":"%s%d","shop_id":%q,"placed_at":%q,"lines":[`, *prefix, i, *shop, placed.Format(time.RFC3339))
		lines := 1 + rng.Intn(4) // 1..4: 2.5 on average
		picked = pickSKUs(rng, picked[:0], lines, codes, otherCodes, *otherShare)
		for j, code := range picked {
			q := 1 + rng.Intn(3)
			unit := 500 + rng.Intn(20000)
			disc := 0
			if rng.Intn(3) == 0 {
				disc = rng.Intn(unit * q / 5)
			}
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"sku_id":%q,"quantity":%d,"unit_price":"%d.%02d","seller_discount":"%d.%02d"}`,
				code, q, unit/100, unit%100, disc/100, disc%100)
		}
		ship := rng.Intn(1000)
		fmt.Fprintf(&b, `],"shipping_paid":"%d.%02d"`, ship/100, ship%100)
		if win.coupon != "" && win.coupon != "-" && rng.Intn(4) == 0 {
			fmt.Fprintf(&b, `,"coupon_id":%q`, win.coupon)
		}
		b.WriteString("}\n")
		w.WriteString(b.String())
		if ev != nil && i%*eventEvery == 0 {
			writeEvents(ev, evRng, fmt.Sprintf("%s%d", *prefix, i), placed, picked)
		}
	}
}

// pickSKUs chooses an order's distinct SKUs. Without other products it
// draws from codes exactly as genorders always did (same orders for the
// same seed); with them each line is another product with probability
// share.
func pickSKUs(rng *rand.Rand, out []string, lines int, codes, others []string, share float64) []string {
	if len(others) == 0 {
		perm := rng.Perm(len(codes))
		if lines > len(codes) {
			lines = len(codes)
		}
		for j := 0; j < lines; j++ {
			out = append(out, codes[perm[j]])
		}
		return out
	}
	for len(out) < lines {
		from := codes
		if rng.Float64() < share {
			from = others
		}
		c := from[rng.Intn(len(from))]
		dup := false
		for _, x := range out {
			dup = dup || x == c
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// writeEvents writes an order's events, one JSON object a line: 6 in 100
// orders are cancelled within two days; the others complete within ten
// days, and 8 in 100 of those are then returned, half wholly and half one
// unit of the first line.
func writeEvents(w *bufio.Writer, rng *rand.Rand, orderID string, placed time.Time, codes []string) {
	event := func(kind string, at time.Time, lines string) {
		fmt.Fprintf(w, `{"order_id":%q,"kind":%q,"at":%q%s}`+"\n", orderID, kind, at.Format(time.RFC3339), lines)
	}
	if rng.Intn(100) < 6 {
		event("cancelled", placed.Add(time.Duration(1+rng.Int63n(int64(48*time.Hour)))).Truncate(time.Second).Add(time.Second), "")
		return
	}
	done := placed.Add(48*time.Hour + time.Duration(rng.Int63n(int64(8*24*time.Hour)))).Truncate(time.Second)
	event("completed", done, "")
	if r := rng.Intn(100); r < 8 {
		at := done.Add(24*time.Hour + time.Duration(rng.Int63n(int64(13*24*time.Hour)))).Truncate(time.Second)
		if r < 4 {
			event("returned", at, "")
		} else {
			event("returned", at, fmt.Sprintf(`,"lines":[{"sku_id":%q,"quantity":1}]`, codes[0]))
		}
	}
}

func readPlan(path string) ([]window, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []window
	for no, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 5 {
			return nil, fmt.Errorf("%s:%d: want WEIGHT FROM SPREAD COUPON SKUS", path, no+1)
		}
		var x window
		if x.weight, err = strconv.Atoi(f[0]); err != nil || x.weight < 1 {
			return nil, fmt.Errorf("%s:%d: weight %q", path, no+1, f[0])
		}
		if x.start, err = time.Parse(time.RFC3339, f[1]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, no+1, err)
		}
		if x.spread, err = time.ParseDuration(f[2]); err != nil || x.spread <= 0 {
			return nil, fmt.Errorf("%s:%d: spread %q", path, no+1, f[2])
		}
		x.coupon, x.codes = f[3], strings.Split(f[4], ",")
		out = append(out, x)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no windows", path)
	}
	return out, nil
}
