package orders

import (
	"bytes"
	"campaignportal/models"
	"campaignportal/models/pgsql"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"
)

// ImportOutcome is what happened to one imported order.
type ImportOutcome string

const (
	ImportCreated  ImportOutcome = "created"  // stored now (201)
	ImportReplayed ImportOutcome = "replayed" // the same body again: the stored result (200)
	ImportConflict ImportOutcome = "conflict" // the same order id with another body (409)
	ImportInvalid  ImportOutcome = "invalid"  // refused, nothing stored (422)
)

// ImportResult is the answer for one order.
type ImportResult struct {
	OrderID  string
	ShopID   string
	Outcome  ImportOutcome
	Problems []FieldProblem
	Reason   string
	Order    *OrderView
}

// OrderImporter imports orders, one or thousands at a time, through one
// code path: the API's single order is a batch of one. A batch is one
// transaction: checked, coupons taken in import order under row locks,
// settled, and written with COPY. With caching on (back-fills), shops,
// SKUs, registrations and coupons are read once per run.
type OrderImporter struct {
	s       *Store
	cache   bool
	shops   map[string]int64
	skus    map[skuKey]skuRef
	regs    map[int64][]SKURegistration
	coupons map[int64]couponSnapshot
	cals    map[int64]CampaignCalendar
	gate    *couponGate

	backfill bool // commit without waiting for the WAL flush (BackfillNDJSON)
}

type skuKey struct {
	shop int64
	code string
}

type skuRef struct {
	id    int64
	title string
}

// couponSnapshot is a coupon's terms as an order froze them.
type couponSnapshot struct {
	CouponID         int64   `json:"coupon_id"`
	CampaignID       int64   `json:"campaign_id"`
	Code             string  `json:"code"`
	Type             string  `json:"type"`
	Value            string  `json:"value"`
	MinPurchase      string  `json:"min_purchase"`
	Cap              *string `json:"cap,omitempty"`
	SellerSharePct   string  `json:"seller_share_pct"`
	MaxSellerFunding *string `json:"max_seller_funding,omitempty"`
}

func (c couponSnapshot) Terms() models.CouponTerms {
	t := models.CouponTerms{Type: models.CouponType(c.Type), Value: decimal.RequireFromString(c.Value),
		MinPurchase: decimal.RequireFromString(c.MinPurchase), SellerSharePct: decimal.RequireFromString(c.SellerSharePct)}
	if c.Cap != nil {
		t.Cap = decimal.NullDecimal{Decimal: decimal.RequireFromString(*c.Cap), Valid: true}
	}
	if c.MaxSellerFunding != nil {
		t.MaxSellerFunding = decimal.NullDecimal{Decimal: decimal.RequireFromString(*c.MaxSellerFunding), Valid: true}
	}
	return t
}

// NewOrderImporter makes an importer; cache suits a back-fill run, where
// registrations do not change while it runs.
func (s *Store) NewOrderImporter(cache bool) *OrderImporter {
	return &OrderImporter{s: s, cache: cache}
}

// ImportOrder imports one order (the API's POST /api/v1/orders).
func (s *Store) ImportOrder(ctx context.Context, req OrderRequest) (ImportResult, error) {
	rs, err := s.NewOrderImporter(false).Import(ctx, []OrderRequest{req})
	if err != nil {
		return ImportResult{}, err
	}
	return rs[0], nil
}

// Import imports a batch in one transaction. A racing import of the same
// order makes the transaction fail on the unique key; it is tried again and
// then sees the other's order (a replay or a conflict).
func (im *OrderImporter) Import(ctx context.Context, reqs []OrderRequest) ([]ImportResult, error) {
	return im.importGated(ctx, reqs, nil, nil)
}

// couponGate keeps coupon stock in import order when batches run in
// parallel: a batch takes its coupon row locks only after the batch
// before it took its own (and so waits for that batch's commit on the
// coupons they share).
type couponGate struct {
	wait <-chan struct{}
	done chan struct{}
	once sync.Once
}

func (g *couponGate) enter(ctx context.Context) error {
	if g == nil || g.wait == nil {
		return nil
	}
	select {
	case <-g.wait:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *couponGate) leave() {
	if g != nil && g.done != nil {
		g.once.Do(func() { close(g.done) })
	}
}

func (im *OrderImporter) importGated(ctx context.Context, reqs []OrderRequest, wait <-chan struct{}, done chan struct{}) ([]ImportResult, error) {
	gate := &couponGate{wait: wait, done: done}
	defer gate.leave()
	im.gate = gate
	defer func() { im.gate = nil }()
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if !im.cache || im.shops == nil {
			im.shops, im.skus, im.regs, im.coupons = map[string]int64{}, map[skuKey]skuRef{}, map[int64][]SKURegistration{}, map[int64]couponSnapshot{}
			im.cals = map[int64]CampaignCalendar{}
		}
		var results []ImportResult
		var replayIDs map[int]int64
		results, replayIDs, err = im.try(ctx, reqs)
		if retryable(err) {
			continue
		}
		if pe, ok := refusedData(err); ok {
			if len(reqs) == 1 {
				return []ImportResult{unstorable(reqs[0], pe)}, nil
			}
			return im.oneByOne(ctx, reqs, gate)
		}
		if err != nil {
			return nil, err
		}
		for i, id := range replayIDs {
			v, err := im.s.orderViewByID(ctx, id)
			if err != nil {
				return nil, err
			}
			results[i].Order = &v
		}
		return results, nil
	}
	return nil, err
}

// oneByOne imports a batch that PostgreSQL refused as a whole again, one
// order a transaction, so the order it refused gets its own answer and the
// others are stored. Coupons are still taken in line order, after the
// batch before this one (the gate); the batch after it may have taken its
// own first if the refusal came after this batch's coupons were taken.
func (im *OrderImporter) oneByOne(ctx context.Context, reqs []OrderRequest, gate *couponGate) ([]ImportResult, error) {
	if err := gate.enter(ctx); err != nil {
		return nil, err
	}
	defer gate.leave()
	out := make([]ImportResult, 0, len(reqs))
	for _, r := range reqs {
		rs, err := im.importGated(ctx, []OrderRequest{r}, nil, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, rs[0])
	}
	return out, nil
}

// unstorable is the answer for an order PostgreSQL refused: 422, nothing
// stored, with what it said.
func unstorable(r OrderRequest, pe *pgconn.PgError) ImportResult {
	return ImportResult{OrderID: r.OrderID, ShopID: r.ShopID, Outcome: ImportInvalid,
		Problems: []FieldProblem{{Field: "body", Reason: "the order cannot be stored (" + pe.Message + "); nothing was stored"}}}
}

type newOrder struct {
	idx      int
	req      OrderRequest
	shopID   int64
	lines    []SettleLine
	skuIDs   []int64
	coupon   *couponSnapshot
	wantsOne bool
	taken    bool
	id       int64
	settled  Settlement
	places   []OrderPlacement // in each of its campaigns
}

func (im *OrderImporter) try(ctx context.Context, reqs []OrderRequest) ([]ImportResult, map[int]int64, error) {
	results := make([]ImportResult, len(reqs))
	replays := map[int]int64{}
	err := im.s.inPgxTx(ctx, func(tx pgx.Tx) error {
		if im.backfill {
			if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
				return err
			}
		}
		for i, r := range reqs {
			results[i] = ImportResult{OrderID: r.OrderID, ShopID: r.ShopID}
		}
		if err := im.loadShops(ctx, tx, reqs); err != nil {
			return err
		}
		if err := im.loadSKUsAndCoupons(ctx, tx, reqs); err != nil {
			return err
		}
		// References: unknown shop, SKU or coupon refuse the order.
		var candidates []*newOrder
		for i, r := range reqs {
			rerr := &RequestError{}
			shopID, ok := im.shops[r.ShopID]
			if !ok {
				rerr.add("shop_id", fmt.Sprintf("no shop has the id %q", r.ShopID))
			}
			no := &newOrder{idx: i, req: r, shopID: shopID}
			for j, l := range r.Lines {
				ref, ok := im.skus[skuKey{shopID, l.SKU}]
				if shopID != 0 && !ok {
					rerr.add(fmt.Sprintf("lines[%d].sku_id", j), fmt.Sprintf("the shop has no SKU %q", l.SKU))
				}
				no.skuIDs = append(no.skuIDs, ref.id)
			}
			if r.CouponID != 0 {
				c, ok := im.coupons[r.CouponID]
				if !ok {
					rerr.add("coupon_id", fmt.Sprintf("no coupon has the id %d", r.CouponID))
				}
				no.coupon = &c
			}
			if len(rerr.Problems) > 0 {
				results[i].Outcome, results[i].Problems = ImportInvalid, rerr.Problems
				continue
			}
			candidates = append(candidates, no)
		}
		// Replays and conflicts, with the database and within the batch.
		existing, err := existingOrders(ctx, tx, candidates)
		if err != nil {
			return err
		}
		firstInBatch := map[skuKey]*newOrder{}
		var fresh []*newOrder
		for _, no := range candidates {
			k := skuKey{no.shopID, no.req.OrderID}
			if ex, ok := existing[k]; ok {
				if bytes.Equal(ex.hash, no.req.Hash[:]) {
					results[no.idx].Outcome = ImportReplayed
					replays[no.idx] = ex.id
				} else {
					results[no.idx].Outcome = ImportConflict
					results[no.idx].Reason = "an order with this order_id was already imported with a different body"
				}
				continue
			}
			if first, ok := firstInBatch[k]; ok {
				if first.req.Hash == no.req.Hash {
					results[no.idx].Outcome = ImportReplayed
					replays[no.idx] = -1 - int64(first.idx) // filled in below
				} else {
					results[no.idx].Outcome = ImportConflict
					results[no.idx].Reason = "an order with this order_id was already imported with a different body"
				}
				continue
			}
			firstInBatch[k] = no
			fresh = append(fresh, no)
		}
		if err := im.loadRegistrations(ctx, tx, fresh); err != nil {
			return err
		}
		// Verdicts and the coupon checks that come before stock.
		for _, no := range fresh {
			for j, l := range no.req.Lines {
				no.lines = append(no.lines, SettleLine{SKU: l.SKU, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
					SellerDiscount: l.SellerDiscount, Campaign: ApplicableCampaign(im.regs[no.skuIDs[j]], no.req.PlacedAt)})
			}
			if no.coupon != nil {
				status, _ := CheckCoupon(no.lines, no.coupon.CampaignID, no.coupon.Terms())
				no.wantsOne = status == ""
			}
		}
		if len(fresh) == 0 {
			im.gate.leave()
			return nil
		}
		var campaigns []int64
		for _, no := range fresh {
			for _, l := range no.lines {
				if l.Campaign.IsCampaign() {
					campaigns = append(campaigns, l.Campaign.CampaignID)
				}
			}
		}
		if err := loadCalendars(ctx, tx, campaigns, im.cals); err != nil {
			return err
		}
		if err := assignOrderIDs(ctx, tx, fresh); err != nil {
			return err
		}
		// Orders whose settlement does not depend on coupon stock are
		// written first; the coupon rows are locked (until commit) only
		// for the orders that take one, so parallel batches overlap.
		var free, held []*newOrder
		for _, no := range fresh {
			if no.wantsOne {
				held = append(held, no)
			} else {
				free = append(free, no)
			}
		}
		delta, rollups := totalsDelta{}, newRollupDelta()
		settle := func(orders []*newOrder) error {
			for _, no := range orders {
				in := SettlementInput{PlacedAt: no.req.PlacedAt, Lines: no.lines, ShippingPaid: no.req.ShippingPaid}
				if no.coupon != nil {
					in.Coupon = &SettleCoupon{ID: no.coupon.CouponID, CampaignID: no.coupon.CampaignID, Code: no.coupon.Code,
						Terms: no.coupon.Terms(), Taken: no.taken}
				}
				s, err := Settle(in)
				if err != nil {
					return err
				}
				no.settled = s
				no.places = make([]OrderPlacement, len(s.CampaignIDs))
				for i, cid := range s.CampaignIDs {
					no.places[i] = im.cals[cid].Place(cid, no.req.PlacedAt)
				}
				delta.add(no.shopID, no.req.PlacedAt, s, 1)
				rollups.add(no.shopID, no.skuIDs, no.places, s, 1)
				results[no.idx].Outcome = ImportCreated
				results[no.idx].Order = &OrderView{ID: no.id, OrderID: no.req.OrderID, ShopID: no.shopID, ShopPublicID: no.req.ShopID,
					CouponID: no.req.CouponID, Settlement: s, Titles: im.titles(no), SKUIDs: no.skuIDs}
			}
			return copyOrders(ctx, tx, orders)
		}
		if err := settle(free); err != nil {
			return err
		}
		if err := im.gate.enter(ctx); err != nil {
			return err
		}
		err = takeCoupons(ctx, tx, held)
		im.gate.leave()
		if err != nil {
			return err
		}
		if err := settle(held); err != nil {
			return err
		}
		if err := delta.flush(ctx, tx); err != nil {
			return err
		}
		return rollups.flush(ctx, tx)
	})
	if err != nil {
		return nil, nil, err
	}
	// Replays of an order earlier in the same batch answer with its result.
	for i, id := range replays {
		if id < 0 {
			results[i].Order = results[int(-1-id)].Order
			delete(replays, i)
		}
	}
	return results, replays, nil
}

func (im *OrderImporter) titles(no *newOrder) []string {
	out := make([]string, len(no.skuIDs))
	for j, l := range no.req.Lines {
		out[j] = im.skus[skuKey{no.shopID, l.SKU}].title
	}
	return out
}

func (im *OrderImporter) loadShops(ctx context.Context, tx pgx.Tx, reqs []OrderRequest) error {
	var need []string
	seen := map[string]bool{}
	for _, r := range reqs {
		if _, ok := im.shops[r.ShopID]; !ok && !seen[r.ShopID] {
			seen[r.ShopID] = true
			need = append(need, r.ShopID)
		}
	}
	if len(need) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT public_id, id FROM shops WHERE public_id = ANY($1)`, need)
	if err != nil {
		return err
	}
	var pub string
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&pub, &id}, func() error { im.shops[pub] = id; return nil })
	return err
}

func (im *OrderImporter) loadSKUsAndCoupons(ctx context.Context, tx pgx.Tx, reqs []OrderRequest) error {
	var shops []int64
	var codes []string
	seen := map[skuKey]bool{}
	couponSeen := map[int64]bool{}
	var coupons []int64
	for _, r := range reqs {
		shopID, ok := im.shops[r.ShopID]
		if !ok {
			continue
		}
		for _, l := range r.Lines {
			k := skuKey{shopID, l.SKU}
			if _, ok := im.skus[k]; !ok && !seen[k] {
				seen[k] = true
				shops, codes = append(shops, shopID), append(codes, l.SKU)
			}
		}
		if r.CouponID != 0 && !couponSeen[r.CouponID] {
			if _, ok := im.coupons[r.CouponID]; !ok {
				couponSeen[r.CouponID] = true
				coupons = append(coupons, r.CouponID)
			}
		}
	}
	if len(codes) > 0 {
		rows, err := tx.Query(ctx, `SELECT s.shop_id, s.sku_code, s.id, p.title FROM skus s
			JOIN unnest($1::bigint[], $2::text[]) AS u(shop_id, code) ON s.shop_id = u.shop_id AND s.sku_code = u.code
			JOIN products p ON p.id = s.product_id`, shops, codes)
		if err != nil {
			return err
		}
		var k skuKey
		var ref skuRef
		if _, err := pgx.ForEachRow(rows, []any{&k.shop, &k.code, &ref.id, &ref.title}, func() error { im.skus[k] = ref; return nil }); err != nil {
			return err
		}
	}
	if len(coupons) > 0 {
		rows, err := tx.Query(ctx, `SELECT id, campaign_id, code, discount_type, value::text, min_purchase::text, cap::text,
			seller_share_pct::text, max_seller_funding::text FROM coupons WHERE id = ANY($1)`, coupons)
		if err != nil {
			return err
		}
		var c couponSnapshot
		if _, err := pgx.ForEachRow(rows, []any{&c.CouponID, &c.CampaignID, &c.Code, &c.Type, &c.Value, &c.MinPurchase, &c.Cap,
			&c.SellerSharePct, &c.MaxSellerFunding}, func() error {
			cp := c
			im.coupons[c.CouponID] = cp
			c.Cap, c.MaxSellerFunding = nil, nil
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

type existingOrder struct {
	id   int64
	hash []byte
}

func existingOrders(ctx context.Context, tx pgx.Tx, cands []*newOrder) (map[skuKey]existingOrder, error) {
	out := map[skuKey]existingOrder{}
	if len(cands) == 0 {
		return out, nil
	}
	shops, ids := make([]int64, len(cands)), make([]string, len(cands))
	for i, c := range cands {
		shops[i], ids[i] = c.shopID, c.req.OrderID
	}
	rows, err := tx.Query(ctx, `SELECT o.shop_id, o.external_id, o.id, o.request_hash FROM orders o
		JOIN unnest($1::bigint[], $2::text[]) AS u(shop_id, ext) ON o.shop_id = u.shop_id AND o.external_id = u.ext`, shops, ids)
	if err != nil {
		return nil, err
	}
	var k skuKey
	var e existingOrder
	_, err = pgx.ForEachRow(rows, []any{&k.shop, &k.code, &e.id, &e.hash}, func() error {
		out[k] = existingOrder{id: e.id, hash: append([]byte(nil), e.hash...)}
		return nil
	})
	return out, err
}

// loadRegistrations reads, for the batch's SKUs not read yet, every
// registration that may make a line a campaign line, with its approval,
// runs, SKU error and withdrawals.
func (im *OrderImporter) loadRegistrations(ctx context.Context, tx pgx.Tx, orders []*newOrder) error {
	var need []int64
	seen := map[int64]bool{}
	for _, no := range orders {
		for _, id := range no.skuIDs {
			if _, ok := im.regs[id]; !ok && !seen[id] {
				seen[id] = true
				need = append(need, id)
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	regs, err := LoadSKURegistrations(ctx, tx, need)
	if err != nil {
		return err
	}
	for _, id := range need {
		im.regs[id] = regs[id]
	}
	return nil
}

// LoadSKURegistrations reads the registrations of SKUs as the campaign-line
// rule needs them. A product's approval is the first approval of its
// registration since the product's current enrolment began (its creation,
// or its last withdrawal when it was registered again); campaigns without
// review approve at submission (the registration's decision time).
func LoadSKURegistrations(ctx context.Context, q pgsql.Querier, skuIDs []int64) (map[int64][]SKURegistration, error) {
	type row struct {
		skuID, regID, campaignID, rpID int64
		name, policy, rpStatus         string
		rate, price                    pgtype.Numeric
		registeredAt, rpCreated        time.Time
		decidedAt, skuErrorAt          *time.Time
		runStart, runEnd               time.Time
	}
	rows, err := q.Query(ctx, `SELECT rs.sku_id, r.id, r.campaign_id, rp.id, c.name, c.fee_refund_policy, rp.status, c.fee_rate,
			rs.campaign_price, r.created_at, rp.created_at, r.decided_at, rp.sku_error_at, c.run_starts_at, c.run_ends_at
		FROM registration_skus rs
		JOIN registration_products rp ON rp.id = rs.registration_product_id
		JOIN registrations r ON r.id = rs.registration_id
		JOIN campaigns c ON c.id = r.campaign_id
		WHERE rs.sku_id = ANY($1) AND rs.campaign_price IS NOT NULL AND rs.rejected_at IS NULL
			AND rp.status IN ('registered', 'sku_error', 'withdrawn')`, skuIDs)
	if err != nil {
		return nil, err
	}
	var all []row
	var r row
	if _, err := pgx.ForEachRow(rows, []any{&r.skuID, &r.regID, &r.campaignID, &r.rpID, &r.name, &r.policy, &r.rpStatus, &r.rate,
		&r.price, &r.registeredAt, &r.rpCreated, &r.decidedAt, &r.skuErrorAt, &r.runStart, &r.runEnd}, func() error {
		all = append(all, r)
		return nil
	}); err != nil {
		return nil, err
	}
	out := map[int64][]SKURegistration{}
	if len(all) == 0 {
		return out, nil
	}
	var campaigns, regIDs, rpIDs []int64
	for _, x := range all {
		campaigns, regIDs, rpIDs = append(campaigns, x.campaignID), append(regIDs, x.regID), append(rpIDs, x.rpID)
	}
	runs := map[int64][]Run{}
	rows, err = q.Query(ctx, `SELECT campaign_id, starts_at, ends_at FROM sub_campaigns WHERE campaign_id = ANY($1)`, campaigns)
	if err != nil {
		return nil, err
	}
	var cid int64
	var run Run
	if _, err := pgx.ForEachRow(rows, []any{&cid, &run.StartsAt, &run.EndsAt}, func() error { runs[cid] = append(runs[cid], run); return nil }); err != nil {
		return nil, err
	}
	approvals := map[int64][]time.Time{}
	rows, err = q.Query(ctx, `SELECT registration_id, decided_at FROM review_decisions WHERE decision = 'approved' AND registration_id = ANY($1)
		ORDER BY decided_at`, regIDs)
	if err != nil {
		return nil, err
	}
	var id int64
	var t time.Time
	if _, err := pgx.ForEachRow(rows, []any{&id, &t}, func() error { approvals[id] = append(approvals[id], t); return nil }); err != nil {
		return nil, err
	}
	withdrawals := map[int64][]time.Time{}
	rows, err = q.Query(ctx, `SELECT registration_product_id, effective_at FROM withdrawals WHERE kind <> 'discount' AND status = 'approved'
		AND registration_product_id = ANY($1) ORDER BY effective_at`, rpIDs)
	if err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&id, &t}, func() error { withdrawals[id] = append(withdrawals[id], t); return nil }); err != nil {
		return nil, err
	}
	for _, x := range all {
		sr := SKURegistration{RegistrationID: x.regID, CampaignID: x.campaignID, CampaignName: x.name, FeeRate: pgsql.Decimal(x.rate),
			Policy: models.FeeRefundPolicy(x.policy), CampaignPrice: pgsql.Decimal(x.price), RegisteredAt: x.registeredAt, Runs: runs[x.campaignID],
			SKUErrorAt: x.skuErrorAt, WithdrawnAt: withdrawals[x.rpID]}
		if len(sr.Runs) == 0 {
			sr.Runs = []Run{{StartsAt: x.runStart, EndsAt: x.runEnd}}
		}
		sr.ApprovedAt = enrolmentApproval(models.ProductStatus(x.rpStatus), x.rpCreated, sr.WithdrawnAt, approvals[x.regID], x.decidedAt)
		out[x.skuID] = append(out[x.skuID], sr)
	}
	return out, nil
}

// enrolmentApproval finds when a product's current (or, once withdrawn,
// last) enrolment was approved: the first approval of its registration
// after the enrolment began (the product's creation, or the withdrawal
// that ended its previous enrolment) and, for a withdrawn product, before
// its withdrawal. Back-dated data (demo, imports) may create the product
// after its approvals; the first approval since the enrolment's start is
// taken then. Campaigns without review approve at submission: the
// registration's decision time.
func enrolmentApproval(status models.ProductStatus, created time.Time, withdrawals, approvals []time.Time, decidedAt *time.Time) *time.Time {
	var start, end time.Time
	n := len(withdrawals)
	switch {
	case status == models.ProductWithdrawn && n > 0:
		end = withdrawals[n-1]
		if n > 1 {
			start = withdrawals[n-2]
		}
	case n > 0:
		start = withdrawals[n-1]
	}
	within := func(t, lower time.Time) bool { return !t.Before(lower) && (end.IsZero() || !t.After(end)) }
	pick := func(lower time.Time) *time.Time {
		for _, a := range approvals {
			if within(a, lower) {
				at := a
				return &at
			}
		}
		return nil
	}
	if created.After(start) {
		if a := pick(created); a != nil {
			return a
		}
	}
	if a := pick(start); a != nil {
		return a
	}
	if len(approvals) == 0 && decidedAt != nil && within(*decidedAt, start) {
		return decidedAt
	}
	return nil
}

// takeCoupons takes one coupon per order that needs one, in import order,
// under row locks (in id order, so concurrent imports never deadlock):
// of two orders racing for the last coupon, exactly one gets it. The lock
// is FOR NO KEY UPDATE, the strength of the UPDATE that follows: it does
// not wait for the key-share locks that inserting orders referencing the
// coupon take.
func takeCoupons(ctx context.Context, tx pgx.Tx, orders []*newOrder) error {
	var ids []int64
	seen := map[int64]bool{}
	for _, no := range orders {
		if no.wantsOne && !seen[no.req.CouponID] {
			seen[no.req.CouponID] = true
			ids = append(ids, no.req.CouponID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	rows, err := tx.Query(ctx, `SELECT id, total_quantity - claimed_quantity FROM coupons WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, ids)
	if err != nil {
		return err
	}
	left := map[int64]int{}
	var id int64
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { left[id] = n; return nil }); err != nil {
		return err
	}
	taken := map[int64]int{}
	for _, no := range orders {
		if no.wantsOne && left[no.req.CouponID] > 0 {
			left[no.req.CouponID]--
			taken[no.req.CouponID]++
			no.taken = true
		}
	}
	var cids []int64
	var counts []int32
	for _, cid := range ids {
		if taken[cid] > 0 {
			cids, counts = append(cids, cid), append(counts, int32(taken[cid]))
		}
	}
	if len(cids) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `UPDATE coupons c SET claimed_quantity = c.claimed_quantity + u.n
		FROM unnest($1::bigint[], $2::int[]) AS u(id, n) WHERE c.id = u.id`, cids, counts)
	return err
}

func assignOrderIDs(ctx context.Context, tx pgx.Tx, orders []*newOrder) error {
	rows, err := tx.Query(ctx, `SELECT nextval('orders_id_seq') FROM generate_series(1, $1::int)`, len(orders))
	if err != nil {
		return err
	}
	i := 0
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error { orders[i].id = id; i++; return nil })
	return err
}

const (
	copyOrdersSQL = `COPY orders (id, shop_id, external_id, request_hash, placed_at, status, shipping_paid, coupon_id,
		coupon_status, coupon_terms, merchandise, fee, fee_refunded, discount, seller_share, platform_share,
		merchandise_reversed, shipping_reversed, discount_reversed, seller_share_reversed, platform_share_reversed, payout)
		FROM STDIN (FORMAT binary)`
	copyLinesSQL = `COPY order_lines (order_id, line_no, sku_id, quantity, unit_price, seller_discount, campaign_id,
		registration_id, campaign_price, fee_rate, fee_policy, not_campaign, not_campaign_at) FROM STDIN (FORMAT binary)`
	copyCampaignsSQL = `COPY order_campaigns (campaign_id, order_id, shop_id, placed_at, day, sub_campaign_id) FROM STDIN (FORMAT binary)`
)

// copyOrders writes the new orders, their lines and their campaigns with
// COPY in binary format, encoded here (pgcopy): PostgreSQL spent an eighth
// of the import parsing the text form, and pgx's generic numeric encoder
// was slower than text.
func copyOrders(ctx context.Context, tx pgx.Tx, orders []*newOrder) error {
	var o, l, c pgcopy
	terms := map[int64]string{} // a coupon's terms as JSON, the same for every order of the batch
	zero := decimal.Zero
	for _, no := range orders {
		s := no.settled
		o.begin().int8(no.id).int8(no.shopID).text(no.req.OrderID).bytea(no.req.Hash[:]).timestamptz(no.req.PlacedAt).
			text(string(s.Status)).numeric(s.Shipping)
		if no.coupon != nil {
			js, ok := terms[no.req.CouponID]
			if !ok {
				b, err := json.Marshal(no.coupon)
				if err != nil {
					return err
				}
				js = string(b)
				terms[no.req.CouponID] = js
			}
			o.int8(no.req.CouponID).text(string(s.Coupon.Status)).jsonb(js)
		} else {
			o.null().null().null()
		}
		o.numeric(s.Merchandise).numeric(s.Fee).numeric(zero).numeric(couponDiscount(s)).numeric(s.SellerShare()).
			numeric(s.PlatformShare()).numeric(zero).numeric(zero).numeric(zero).numeric(zero).numeric(zero).numeric(s.Payout()).end()
		for j, sl := range no.lines {
			lc := sl.Campaign
			l.begin().int8(no.id)
			if _, err := l.int2(j + 1); err != nil {
				return err
			}
			l.int8(no.skuIDs[j])
			if _, err := l.int4(sl.Quantity); err != nil {
				return err
			}
			l.numeric(sl.UnitPrice).numeric(sl.SellerDiscount)
			if lc.IsCampaign() {
				l.int8(lc.CampaignID).int8(lc.RegistrationID).numeric(lc.CampaignPrice).numeric(lc.Rate).text(string(lc.Policy)).null().null()
			} else {
				l.null().null().null().null().null().text(string(lc.Reason))
				if lc.ReasonAt != nil {
					l.timestamptz(*lc.ReasonAt)
				} else {
					l.null()
				}
			}
			l.end()
		}
		for _, p := range no.places {
			c.begin().int8(p.CampaignID).int8(no.id).int8(no.shopID).timestamptz(no.req.PlacedAt)
			if _, err := c.date(p.Day); err != nil {
				return err
			}
			if p.SubCampaignID != 0 {
				c.int8(p.SubCampaignID)
			} else {
				c.null()
			}
			c.end()
		}
	}
	pg := tx.Conn().PgConn()
	for _, part := range []struct {
		sql  string
		rows *pgcopy
	}{{copyOrdersSQL, &o}, {copyLinesSQL, &l}, {copyCampaignsSQL, &c}} {
		if part.rows.tuples == 0 {
			continue
		}
		if _, err := pg.CopyFrom(ctx, part.rows.data(), part.sql); err != nil {
			return err
		}
	}
	return nil
}

func couponDiscount(s Settlement) decimal.Decimal {
	if s.Coupon == nil || s.Coupon.Status != CouponApplied {
		return decimal.Zero
	}
	return s.Coupon.Discount
}
