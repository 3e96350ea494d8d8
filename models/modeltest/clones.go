package modeltest

// Making and dropping the test databases. A clone costs a few hundred
// milliseconds (CREATE DATABASE writes the ~10 MB template through the
// WAL) and a drop about half that, more on a loaded machine; a package
// makes dozens. So a test waits for neither: NewDB takes a clone made
// ahead of time when one is ready, and a finished test's database is
// dropped in the background.
//
// STRATEGY FILE_COPY was measured and not taken: it checkpoints the whole
// server twice per clone, and beside another running suite its clones were
// slower (median 0.9 s against 0.7 s, one in ten over 2 s).
//
// Databases outlive a process that ends without Cleanup (no TestMain, a
// panic, a kill). Each process therefore holds one connection named after
// its token for as long as it runs and names its databases with that
// token; the next process drops the databases whose token has no such
// connection (sweep).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

const (
	clonePrefix = "portal_test_"
	// pendingDrops bounds the drops waiting in line: when the server drops
	// slower than tests finish, tests wait rather than pile up databases.
	pendingDrops = 16
)

// process is this test process's side of the server.
type process struct {
	token string    // names this process's databases
	owner *pgx.Conn // open for the life of the process: says it is alive
	admin *pgxpool.Pool
	seq   atomic.Int64

	drops      chan string
	dropsAwait sync.WaitGroup // a drop asked for and not yet done
	swept      chan struct{}  // closed when the sweep has queued its drops

	mu    sync.Mutex
	spare map[string]*spares

	// cloning lets one CREATE DATABASE run at a time in this process:
	// two copies of one template at once make PostgreSQL refuse the
	// second ("being accessed by other users") and retry, which made
	// parallel tests slower than serial ones.
	cloning sync.Mutex
}

// spareCount is how many clones of the migrated template wait ready: one
// per test that runs at once (-parallel defaults to GOMAXPROCS), so
// parallel tests find theirs made.
func spareCount() int { return max(1, runtime.GOMAXPROCS(0)) }

var (
	procMu sync.Mutex
	proc   *process
)

// thisProcess connects this process to the server the first time a test
// asks for a database.
func thisProcess() (*process, error) {
	procMu.Lock()
	defer procMu.Unlock()
	if proc == nil {
		p, err := connectProcess()
		if err != nil {
			return nil, err
		}
		proc = p
	}
	return proc, nil
}

// startedProcess is the process state, or nil when no test asked for a
// database.
func startedProcess() *process {
	procMu.Lock()
	defer procMu.Unlock()
	return proc
}

func ownerName(token string) string { return "modeltest " + token }

func connectProcess() (*process, error) {
	ctx := context.Background()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	unreachable := func(err error) error {
		return fmt.Errorf("tests need PostgreSQL at %s: %w", ServerURL(), err)
	}
	cfg, err := pgx.ParseConfig(ServerURL())
	if err != nil {
		return nil, unreachable(err)
	}
	cfg.RuntimeParams["application_name"] = ownerName(token)
	owner, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, unreachable(err)
	}
	admin, err := pgxpool.New(ctx, ServerURL())
	if err != nil {
		owner.Close(ctx)
		return nil, unreachable(err)
	}
	p := &process{
		token: token, owner: owner, admin: admin,
		drops: make(chan string, pendingDrops), swept: make(chan struct{}),
		spare: map[string]*spares{},
	}
	go p.dropLoop()
	go p.sweep()
	return p, nil
}

// clone creates a database from tmpl and returns its name.
func (p *process) clone(ctx context.Context, tmpl string) (string, error) {
	name := clonePrefix + p.token + "_" + strconv.FormatInt(p.seq.Add(1), 10)
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{tmpl}.Sanitize()
	p.cloning.Lock()
	defer p.cloning.Unlock()
	// A connection left on the template (a seed just closing its pool),
	// or another process cloning it, makes PostgreSQL refuse with "being
	// accessed by other users"; it is gone a moment later.
	for attempt := 0; ; attempt++ {
		_, err := p.admin.Exec(ctx, sql)
		if err == nil {
			return name, nil
		}
		if attempt >= 50 || !strings.Contains(err.Error(), "being accessed by other users") {
			return "", err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// drop queues a database to be dropped.
func (p *process) drop(name string) {
	p.dropsAwait.Add(1)
	p.drops <- name
}

func (p *process) dropLoop() {
	for name := range p.drops {
		// Errors are left to the sweep of a later process: the database
		// carries this process's token.
		_, _ = p.admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		p.dropsAwait.Done()
	}
}

func (p *process) waitForDrops() {
	<-p.swept
	p.dropsAwait.Wait()
}

// sweep drops the databases of test processes that have ended: those
// named with a token that no connection carries any more. The databases
// are listed before the live connections: a database on the list was
// made after its process's connection opened, so that connection is seen.
func (p *process) sweep() {
	defer close(p.swept)
	ctx := context.Background()
	rows, _ := p.admin.Query(ctx, `SELECT datname FROM pg_database
		WHERE datname ~ ('^' || $1 || '[0-9a-f]{8}_[0-9]+$') OR datname ~ '^portal_tmpl_[0-9a-f]{16}_.+_[0-9a-f]{8}$'`, clonePrefix)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(names) == 0 {
		return
	}
	rows, _ = p.admin.Query(ctx, `SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'modeltest %'`)
	owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	alive := map[string]bool{}
	for _, o := range owners {
		alive[o] = true
	}
	for _, n := range names {
		if !alive[ownerName(tokenOf(n))] {
			p.drop(n)
		}
	}
}

// tokenOf reads the process token from a database name: portal_test_TOKEN_N
// or portal_tmpl_HASH_KEY_TOKEN.
func tokenOf(name string) string {
	if rest, ok := strings.CutPrefix(name, clonePrefix); ok {
		token, _, _ := strings.Cut(rest, "_")
		return token
	}
	return name[strings.LastIndexByte(name, '_')+1:]
}

// spares returns the spare clones of tmpl, starting them on first use.
func (p *process) spares(tmpl string) *spares {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.spare[tmpl]
	if s == nil {
		s = &spares{p: p, tmpl: tmpl, ready: make(chan string, spareCount()), wake: make(chan struct{}, 1),
			stop: make(chan struct{}), done: make(chan struct{})}
		p.spare[tmpl] = s
		go s.refill()
	}
	return s
}

// stopSpares stops making clones ahead and drops those not taken.
func (p *process) stopSpares() {
	p.mu.Lock()
	all := p.spare
	p.spare = map[string]*spares{}
	p.mu.Unlock()
	for _, s := range all {
		close(s.stop)
		<-s.done
		for len(s.ready) > 0 {
			p.drop(<-s.ready)
		}
	}
}

// spares keeps up to spareCount() clones of one template ready.
type spares struct {
	p     *process
	tmpl  string
	taken atomic.Int64
	ready chan string   // made, not yet taken
	wake  chan struct{} // one was taken: make another
	stop  chan struct{}
	done  chan struct{}
}

// take returns a ready clone, or makes one. Spares are made only from the
// second clone a process asks for on: a package with one database test
// would only waste one.
func (s *spares) take(ctx context.Context) (string, error) {
	defer func() {
		if s.taken.Add(1) > 1 {
			select {
			case s.wake <- struct{}{}:
			default: // already awake
			}
		}
	}()
	select {
	case name := <-s.ready:
		return name, nil
	default:
		return s.p.clone(ctx, s.tmpl)
	}
}

func (s *spares) refill() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		}
		// Only refill sends on ready and takers only receive, so a send
		// after this check never blocks.
		for len(s.ready) < cap(s.ready) {
			name, err := s.p.clone(context.Background(), s.tmpl)
			if err != nil {
				break // the next take makes its own and reports the error
			}
			s.ready <- name
			select {
			case <-s.stop:
				return
			default:
			}
		}
	}
}
