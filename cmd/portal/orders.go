package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"campaignportal/cmd/portal/demo"
	"campaignportal/handlers"
	"campaignportal/models/database"
	"campaignportal/models/orders"
)

// runOrdersCommand runs the order feed's subcommands:
//
//	portal tokens create NAME            make a bearer token for the order API (printed once)
//	portal tokens list                   list tokens with their last use
//	portal tokens revoke ID              revoke a token
//	portal orders import [--results F] [--cpuprofile F] FILE.ndjson   back-fill orders, one JSON order a line ("-": stdin)
func runOrdersCommand(ctx context.Context, cmd string, args []string, cfg config, log *slog.Logger, stdout io.Writer) error {
	usage := errors.New("usage: portal tokens create NAME | portal tokens list | portal tokens revoke ID | portal orders import [--results FILE] [--cpuprofile FILE] FILE.ndjson")
	if len(args) == 0 {
		return usage
	}
	sub, args := args[0], args[1:]
	switch {
	case cmd == "tokens" && sub == "create" && len(args) > 0:
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		tok, secret, err := orders.NewStore(db).CreateAPIToken(ctx, strings.Join(args, " "), nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Token %d (%s) created. It is shown this once; store it now:\n\n  %s\n\n", tok.ID, tok.Name, secret)
		fmt.Fprintln(stdout, "Send it as `Authorization: Bearer <token>` to /api/v1/orders.")
		return nil
	case cmd == "tokens" && sub == "list":
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		toks, err := orders.NewStore(db).APITokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSTARTS WITH\tCREATED\tLAST USED\tREVOKED")
		for _, t := range toks {
			fmt.Fprintf(tw, "%d\t%s\t%s…\t%s\t%s\t%s\n", t.ID, t.Name, t.TokenPrefix, t.CreatedAt.UTC().Format(time.RFC3339),
				timeOr(t.LastUsedAt, "never"), timeOr(t.RevokedAt, "-"))
		}
		return tw.Flush()
	case cmd == "tokens" && sub == "revoke" && len(args) == 1:
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return usage
		}
		db, err := openDatabase(ctx, cfg, log)
		if err != nil {
			return err
		}
		if err := orders.NewStore(db).RevokeAPIToken(ctx, id, nil, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Token %d revoked.\n", id)
		return nil
	case cmd == "orders" && sub == "import":
		return importOrders(ctx, args, cfg, log, stdout)
	}
	return usage
}

// withoutSynchronousCommit adds synchronous_commit=off to a connection
// string, URL or key=value form, as a run-time parameter of the session.
func withoutSynchronousCommit(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("synchronous_commit", "off")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " synchronous_commit=off"
}

func timeOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format(time.RFC3339)
}

// importOrders back-fills orders through the same bulk path as
// POST /api/v1/orders:batch.
func importOrders(ctx context.Context, args []string, cfg config, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("orders import", flag.ContinueOnError)
	resultsPath := fs.String("results", "", "write one NDJSON result line per order to this file")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the import (runtime/pprof) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: portal orders import [--results FILE] [--cpuprofile FILE] FILE.ndjson (\"-\" reads stdin)")
	}
	var in io.Reader = os.Stdin
	if p := fs.Arg(0); p != "-" {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	var emit func(int, orders.ImportResult) error
	var results interface {
		Write(any) error
		Flush()
	}
	problems := 0
	if *resultsPath != "" {
		f, err := os.Create(*resultsPath)
		if err != nil {
			return err
		}
		defer f.Close()
		results = handlers.NewNDJSONWriter(f)
		defer results.Flush()
	}
	emit = func(line int, res orders.ImportResult) error {
		if results != nil {
			if err := results.Write(handlers.BatchResultJSON(line, res)); err != nil {
				return err
			}
		}
		if (res.Outcome == orders.ImportInvalid || res.Outcome == orders.ImportConflict) && problems < 20 {
			problems++
			why := res.Reason
			for _, p := range res.Problems {
				why += p.Field + ": " + p.Reason + "; "
			}
			fmt.Fprintf(stdout, "line %d (%s): %s %s\n", line, res.OrderID, res.Outcome, strings.TrimSuffix(why, "; "))
		}
		return nil
	}
	// A back-fill allocates fast and holds little: collect garbage less
	// often (the import stays far below 1 GB).
	debug.SetGCPercent(400)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	sum, err := orders.NewStore(db).BackfillNDJSON(ctx, in, emit)
	took := time.Since(start)
	fmt.Fprintf(stdout, "%d lines in %s: %d created, %d replayed, %d conflicts, %d invalid.\n",
		sum.Lines, took.Round(time.Millisecond), sum.Created, sum.Replayed, sum.Conflicts, sum.Invalid)
	return err
}

// demoOrderCount is how many random orders the demo loader adds besides
// Maple's two-year history and one showcase order per case: none, so
// `portal demo orders` (the same default) replays exactly what was loaded.
const demoOrderCount = 0

// runDemoOrders is `portal demo orders [--count N]`.
func runDemoOrders(ctx context.Context, args []string, cfg config, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo orders", flag.ContinueOnError)
	count := fs.Int("count", demoOrderCount, "more random orders in the latest campaigns (besides the two-year history and one showcase order per case)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *count < 0 || *count > 100000 {
		return errors.New("--count must be between 0 and 100000")
	}
	db, err := openDatabase(ctx, cfg, log) // created and migrated if need be
	if err != nil {
		return err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	return demoOrders(ctx, cfg.DatabaseURL, stdout, *count)
}

// demoOrders runs the demo order generator on connections of its own whose
// commits do not wait for the disk (synchronous_commit off): it accepts
// thousands of order events, each a transaction, and waiting for every one
// of them to be flushed more than doubled the demo's load time. Demo data
// can always be loaded again; a crash may lose the last moments of it, never
// its consistency.
func demoOrders(ctx context.Context, databaseURL string, stdout io.Writer, count int) error {
	db, err := database.Open(ctx, withoutSynchronousCommit(databaseURL))
	if err != nil {
		return err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	sum, err := demo.Orders(ctx, db, time.Now(), count)
	if err != nil {
		return fmt.Errorf("demo orders: %w", err)
	}
	if err := analyze(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Demo orders: %d imported, %d already there, %d events (Maple & Co: Finance › Settled records).\n",
		sum.Created, sum.Replayed, sum.Events)
	return nil
}
