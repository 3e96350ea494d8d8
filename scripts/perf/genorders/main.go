// Command genorders writes N synthetic orders as NDJSON for the speed
// measurement in scripts/perf-orders.sh: about 2.5 lines an order over a
// shop's SKUs, seller discounts, shipping and, on some orders, a coupon.
// Deterministic for a given seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 1000000, "orders")
	shop := flag.String("shop", "MAPLE-1001", "the shop's public id")
	skus := flag.String("skus", "", "comma-separated SKU ids to use")
	coupon := flag.String("coupon", "", "a coupon id to put on one order in four")
	from := flag.String("from", "2026-07-28T07:00:00Z", "first placed_at")
	spread := flag.Duration("spread", 10*24*time.Hour, "placed_at spread")
	prefix := flag.String("prefix", "PERF-", "order id prefix")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	codes := strings.Split(*skus, ",")
	if *skus == "" || len(codes) < 3 {
		fmt.Fprintln(os.Stderr, "genorders: give at least three SKUs with -skus")
		os.Exit(2)
	}
	start, err := time.Parse(time.RFC3339, *from)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rng := rand.New(rand.NewSource(*seed))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	var b strings.Builder
	for i := 0; i < *n; i++ {
		b.Reset()
		placed := start.Add(time.Duration(rng.Int63n(int64(*spread)))).Truncate(time.Second)
		fmt.Fprintf(&b, `{"order_id":"%s%d","shop_id":%q,"placed_at":%q,"lines":[`, *prefix, i, *shop, placed.Format(time.RFC3339))
		lines := 1 + rng.Intn(4) // 1..4: 2.5 on average
		perm := rng.Perm(len(codes))
		if lines > len(codes) {
			lines = len(codes)
		}
		for j := 0; j < lines; j++ {
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
				codes[perm[j]], q, unit/100, unit%100, disc/100, disc%100)
		}
		ship := rng.Intn(1000)
		fmt.Fprintf(&b, `],"shipping_paid":"%d.%02d"`, ship/100, ship%100)
		if *coupon != "" && rng.Intn(4) == 0 {
			fmt.Fprintf(&b, `,"coupon_id":%q`, *coupon)
		}
		b.WriteString("}\n")
		w.WriteString(b.String())
	}
}
