package orders

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// MaxBatchBody caps one NDJSON batch over HTTP (the CLI reads files of any
// size).
const MaxBatchBody = 1 << 30

// BatchChunk is how many orders one transaction of a batch imports.
const BatchChunk = 2000

// BatchSummary counts a batch's outcomes.
type BatchSummary struct {
	Lines     int
	Created   int
	Replayed  int
	Conflicts int
	Invalid   int
}

type rawChunk struct {
	seq   int
	nums  []int
	lines [][]byte
}

type parsedChunk struct {
	seq     int
	nums    []int
	reqs    []OrderRequest
	refused []error // per line: the parse error, or nil
}

// ImportNDJSON imports one order per line, in order, with exactly the
// rules and results of one order at a time: lines are parsed in parallel,
// then imported chunk by chunk (each chunk one transaction, coupons taken
// in line order), and emit gets one result per order, in line order.
// Blank lines are skipped. A line over 1 MB is refused like a body over
// 1 MB.
func (s *Store) ImportNDJSON(ctx context.Context, r io.Reader, cache bool, emit func(line int, res ImportResult) error) (BatchSummary, error) {
	return s.importNDJSON(ctx, r, cache, false, emit)
}

// BackfillNDJSON is ImportNDJSON for `portal orders import`, with one
// difference: its transactions commit without waiting for PostgreSQL to
// flush the WAL to disk (synchronous_commit off, for these transactions
// only). A crash of the database server may then lose the last batches
// reported as created, never a part of one, and always the latest ones;
// running the same import again stores them (what was kept replays). The
// API never does this: it answers 201 only for orders on disk.
func (s *Store) BackfillNDJSON(ctx context.Context, r io.Reader, emit func(line int, res ImportResult) error) (BatchSummary, error) {
	return s.importNDJSON(ctx, r, true, true, emit)
}

func (s *Store) importNDJSON(ctx context.Context, r io.Reader, cache, backfill bool, emit func(line int, res ImportResult) error) (BatchSummary, error) {
	var sum BatchSummary
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	raw := make(chan rawChunk, 4)
	parsed := make(chan parsedChunk, 4)
	readErr := make(chan error, 1)
	go func() {
		defer close(raw)
		readErr <- readChunks(ctx, r, raw)
	}()
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rc := range raw {
				pc := parsedChunk{seq: rc.seq, nums: rc.nums, reqs: make([]OrderRequest, len(rc.lines)), refused: make([]error, len(rc.lines))}
				for i, l := range rc.lines {
					if l == nil {
						pc.refused[i] = tooLargeLine()
						continue
					}
					pc.reqs[i], pc.refused[i] = ParseOrderRequest(l)
				}
				select {
				case parsed <- pc:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(parsed) }()

	// Chunks are imported by two workers on two connections, so one
	// chunk's COPY overlaps the next chunk's checks and settling; coupon
	// stock is still taken in line order (couponGate) and results are
	// emitted in line order.
	type job struct {
		c          parsedChunk
		wait, done chan struct{}
	}
	type outcome struct {
		seq     int
		c       parsedChunk
		results []ImportResult
		err     error
	}
	jobs := make(chan job)
	outcomes := make(chan outcome, 4)
	const importers = 2
	var iwg sync.WaitGroup
	for range importers {
		iwg.Add(1)
		go func() {
			defer iwg.Done()
			im := s.NewOrderImporter(cache)
			im.backfill = backfill
			for j := range jobs {
				res, err := s.importChunk(ctx, im, j.c, j.wait, j.done)
				select {
				case outcomes <- outcome{seq: j.c.seq, c: j.c, results: res, err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { iwg.Wait(); close(outcomes) }()
	go func() {
		defer close(jobs)
		pending := map[int]parsedChunk{}
		next := 0
		prev := make(chan struct{})
		close(prev)
		for pc := range parsed {
			pending[pc.seq] = pc
			for {
				c, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				done := make(chan struct{})
				select {
				case jobs <- job{c: c, wait: prev, done: done}:
				case <-ctx.Done():
					return
				}
				prev = done
			}
		}
	}()
	waiting := map[int]outcome{}
	next := 0
	var firstErr error
	for o := range outcomes {
		if firstErr != nil {
			continue
		}
		waiting[o.seq] = o
		for {
			cur, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			if cur.err == nil {
				cur.err = emitChunk(cur.c, cur.results, &sum, emit)
			}
			if cur.err != nil {
				firstErr = cur.err
				cancel()
				break
			}
		}
	}
	if firstErr != nil {
		return sum, firstErr
	}
	if err := <-readErr; err != nil {
		return sum, err
	}
	return sum, ctx.Err()
}

func tooLargeLine() error {
	return &RequestError{Problems: []FieldProblem{{Field: "body", Reason: fmt.Sprintf("larger than %d bytes", MaxOrderBody)}}}
}

// importChunk imports a chunk's parsed orders and fills in the refused
// lines, in line order.
func (s *Store) importChunk(ctx context.Context, im *OrderImporter, c parsedChunk, wait, done chan struct{}) ([]ImportResult, error) {
	var reqs []OrderRequest
	var at []int
	for i, err := range c.refused {
		if err == nil {
			reqs, at = append(reqs, c.reqs[i]), append(at, i)
		}
	}
	results := make([]ImportResult, len(c.nums))
	if len(reqs) > 0 {
		rs, err := im.importGated(ctx, reqs, wait, done)
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			results[i] = rs[j]
		}
	} else {
		close(done)
	}
	for i, err := range c.refused {
		if err != nil {
			var rerr *RequestError
			if !errors.As(err, &rerr) {
				return nil, err
			}
			results[i] = ImportResult{Outcome: ImportInvalid, Problems: rerr.Problems}
		}
	}
	return results, nil
}

func emitChunk(c parsedChunk, results []ImportResult, sum *BatchSummary, emit func(int, ImportResult) error) error {
	for i, res := range results {
		sum.Lines++
		switch res.Outcome {
		case ImportCreated:
			sum.Created++
		case ImportReplayed:
			sum.Replayed++
		case ImportConflict:
			sum.Conflicts++
		default:
			sum.Invalid++
		}
		if emit != nil {
			if err := emit(c.nums[i], res); err != nil {
				return err
			}
		}
	}
	return nil
}

// readChunks splits the input into chunks of non-blank lines, numbered
// from 1. A line over MaxOrderBody is passed on as nil (refused later)
// and skipped to its end.
func readChunks(ctx context.Context, r io.Reader, out chan<- rawChunk) error {
	br := bufio.NewReaderSize(r, 1<<20)
	cur := rawChunk{}
	num := 0
	send := func() error {
		if len(cur.lines) == 0 {
			return nil
		}
		select {
		case out <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
		cur = rawChunk{seq: cur.seq + 1}
		return nil
	}
	for {
		line, tooLong, err := readLine(br)
		if len(line) > 0 || tooLong {
			num++
			if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 || tooLong {
				cur.nums = append(cur.nums, num)
				if tooLong {
					cur.lines = append(cur.lines, nil)
				} else {
					cur.lines = append(cur.lines, trimmed)
				}
				if len(cur.lines) == BatchChunk {
					if err := send(); err != nil {
						return err
					}
				}
			}
		} else if err == nil {
			num++ // an empty line
		}
		if err == io.EOF {
			return send()
		}
		if err != nil {
			return err
		}
	}
}

// readLine reads one line (without its newline) of at most MaxOrderBody
// bytes; a longer line is consumed and reported as too long.
func readLine(br *bufio.Reader) ([]byte, bool, error) {
	var buf []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(buf)+len(frag) <= MaxOrderBody+1 {
			buf = append(buf, frag...)
		} else {
			// keep reading to the end of the line, remembering it is too long
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			return nil, true, err
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line := bytes.TrimSuffix(buf, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > MaxOrderBody {
			return nil, true, err
		}
		return line, false, err
	}
}
