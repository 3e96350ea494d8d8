# Campaign Portal. The two commands people need:
#   make run         build and start the portal with demo data on http://localhost:8080
#   make test        everything CI checks: generated code, formatting, vet, staticcheck,
#                    deadcode, go.mod tidy, all tests (browser journeys and fuzz seeds included)
# and for the inner loop:
#   make test-fast   the tests without the browser journeys (go test -short)
#   make fuzz        fuzz the upload parser for a while (FUZZ_TIME=10m make fuzz)
GO ?= go
# Builds and tests never rewrite go.mod or go.sum: a missing or untidy
# requirement is an error to fix by hand (go get, go mod tidy), not a
# silent change in the working tree.
MOD := -mod=readonly

# The fuzz target and its package. Its seed corpus runs in every `go test`
# (make test, make test-fast) as a plain test; only `make fuzz` mutates,
# which builds every dependency again with coverage instrumentation
# (about 5 minutes on a cold cache, seconds once cached).
FUZZ_PKG ?= ./models/uploads
FUZZ_TARGET ?= FuzzParseUpload
FUZZ_TIME ?= 60s

.PHONY: run test test-fast build deps npm generate check-generated lint fuzz

run: build
	./bin/portal serve --demo

build: npm
	$(GO) build $(MOD) -o bin/portal ./cmd/portal

# Front-end packages come from the npm registry, pinned in package-lock.json.
npm: static/node_modules/.package-lock.json
static/node_modules/.package-lock.json: static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund

# What the tests need besides Go: the front-end packages and Chromium.
deps: npm
	scripts/test-deps.sh

generate:
	$(GO) tool templ generate

check-generated:
	scripts/check-generated.sh

# deadcode lists functions nothing reachable from a main or a test calls;
# it exits 0 either way, so any line it prints fails the step.
lint:
	@if git grep -nE '^(<<<<<<<|>>>>>>>) ' -- . ':!static/node_modules'; then echo "merge conflict markers (above) left in the tree"; exit 1; fi
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet $(MOD) ./...
	$(GO) tool staticcheck ./...
	@out=$$($(GO) tool deadcode -test ./...) || exit 1; if [ -n "$$out" ]; then echo "deadcode: unreachable functions (delete them):"; echo "$$out"; exit 1; fi

test: deps check-generated lint
	$(GO) test $(MOD) -count=1 -timeout 20m ./...

# Without -count=1: packages nothing changed in come from the test cache.
test-fast: npm
	$(GO) test $(MOD) -short ./...

fuzz:
	$(GO) test $(MOD) $(FUZZ_PKG) -run '^$$' -fuzz '^$(FUZZ_TARGET)$$' -fuzztime $(FUZZ_TIME)
