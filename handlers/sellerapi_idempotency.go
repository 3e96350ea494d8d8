package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"campaignportal/models"
)

// maxWriteBody bounds a write's body: a bulk request of 10,000 rows is
// about 1.5 MB.
const maxWriteBody = 4 << 20

// CodeIdempotencyKeyReused is a 422 for an Idempotency-Key sent before with
// another request.
const CodeIdempotencyKeyReused = "idempotency_key_reused"

// Idempotent runs a write at most once per Idempotency-Key (per API key):
// the first request with a key runs and its answer (status, body, ETag,
// Location) is kept for models.IdempotencyKeep; a replay with the same
// method, path, query and body gets that answer again
// (Idempotent-Replayed: true) and writes nothing; the same key with
// another request is a 422; while the first still runs, a 409 with
// Retry-After. Whether a request runs is decided by one INSERT … ON
// CONFLICT, so two parallel requests with one key write once. A 5xx is
// not kept: the retry runs again. Without the header the write simply
// runs. It also reads the body within maxWriteBody (413 past it), for
// every write.
func (h *SellerAPI) Idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, maxWriteBody))
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &APIProblem{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
				Detail: "The body is over " + strconv.Itoa(maxWriteBody>>20) + " MB; send at most 10,000 rows per request."}
		}
		if err != nil {
			return &APIProblem{Status: http.StatusBadRequest, Code: CodeBadRequest, Detail: "The body could not be read."}
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		key := req.Header.Get("Idempotency-Key")
		if key == "" {
			return next(c)
		}
		if !validIdempotencyKey(key) {
			return Invalid("The Idempotency-Key is not usable.", FieldProblem{Field: "Idempotency-Key", Code: CodeInvalid,
				Detail: "Send 1 to 255 visible ASCII characters, such as a UUID."})
		}
		caller, _ := CallerFrom(c)
		sum := sha256.New()
		for _, part := range [][]byte{[]byte(req.Method), []byte(req.URL.Path), []byte(req.URL.RawQuery), body} {
			sum.Write(part)
			sum.Write([]byte{0})
		}
		hash := hex.EncodeToString(sum.Sum(nil))
		claim, err := h.store.ClaimIdempotencyKey(ctx(c), caller.Key.ID, key, hash, h.kit.Now())
		if err != nil {
			return err
		}
		switch {
		case claim.Mismatch:
			return Invalid("This Idempotency-Key was used for another request; nothing was changed.",
				FieldProblem{Field: "Idempotency-Key", Code: CodeIdempotencyKeyReused,
					Detail: "Use a new key for a new request; a key repeats only the request it was first sent with."})
		case claim.Running:
			c.Response().Header().Set("Retry-After", "1")
			return &APIProblem{Status: http.StatusConflict, Code: CodeConflict,
				Detail: "The first request with this Idempotency-Key is still running; retry shortly to get its answer."}
		case !claim.Owned:
			return replay(c, claim.Answer)
		}
		return h.runOnce(c, caller.Key.ID, key, next)
	}
}

// runOnce runs the request that owns the key and keeps its answer; the
// claim is released when the request fails on the portal's side.
func (h *SellerAPI) runOnce(c echo.Context, keyID int64, key string, next echo.HandlerFunc) (err error) {
	rec := &answerRecorder{ResponseWriter: c.Response().Writer}
	c.Response().Writer = rec
	background := context.WithoutCancel(ctx(c))
	kept := false
	defer func() {
		if !kept {
			_ = h.store.ReleaseIdempotencyKey(background, keyID, key)
		}
	}()
	if err := next(c); err != nil {
		if werr := WriteProblem(c, err); werr != nil {
			return werr
		}
	}
	res := c.Response()
	if res.Status >= 500 {
		return nil
	}
	hd := res.Header()
	if err := h.store.CompleteIdempotencyKey(background, keyID, key, models.IdempotentAnswer{Status: res.Status,
		ContentType: hd.Get(echo.HeaderContentType), ETag: hd.Get("ETag"), Location: hd.Get(echo.HeaderLocation),
		Body: rec.body.Bytes()}); err != nil {
		return err
	}
	kept = true
	return nil
}

func replay(c echo.Context, a models.IdempotentAnswer) error {
	hd := c.Response().Header()
	hd.Set("Idempotent-Replayed", "true")
	if a.ETag != "" {
		hd.Set("ETag", a.ETag)
	}
	if a.Location != "" {
		hd.Set(echo.HeaderLocation, a.Location)
	}
	if len(a.Body) == 0 {
		return c.NoContent(a.Status)
	}
	return c.Blob(a.Status, a.ContentType, a.Body)
}

func validIdempotencyKey(k string) bool {
	if len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// answerRecorder keeps a copy of the body written.
type answerRecorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *answerRecorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
