package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"campaignportal/cmd/portal/demo"
)

// runDemoShops is `portal demo shops [--count N]`: many shops with a seller
// each, for load tests, added once after `portal demo`.
func runDemoShops(ctx context.Context, args []string, cfg config, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo shops", flag.ContinueOnError)
	count := fs.Int("count", 200, "shops to add, each with a seller rush-N@demo.test")
	products := fs.Int("products", demo.RushProducts, fmt.Sprintf("products per shop (1 to %d), each with one to three SKUs", demo.MaxRushProducts))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *count < 1 || *count > 10000 {
		return errors.New("--count must be between 1 and 10000")
	}
	if *products < 1 || *products > demo.MaxRushProducts {
		return fmt.Errorf("--products must be between 1 and %d", demo.MaxRushProducts)
	}
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	start := time.Now()
	sum, err := demo.Shops(ctx, db, time.Now(), *count, *products)
	if errors.Is(err, demo.ErrShopsLoaded) {
		return fmt.Errorf("%w: nothing was added (drop the database and load the demo again for a fresh set)", err)
	}
	if err != nil {
		return fmt.Errorf("adding demo shops: %w", err)
	}
	if err := analyze(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo shops added in %s: %d shops, %d sellers (%s … %s, password %q), %d products, %d SKUs, %d price periods.\n",
		time.Since(start).Round(time.Millisecond), sum.Shops, sum.Users, demo.RushEmail(1), demo.RushEmail(sum.Shops), demo.Password,
		sum.Products, sum.SKUs, sum.PricePeriods)
	return nil
}
