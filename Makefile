# Campaign Portal. The two commands people need:
#   make run    build and start the portal with demo data on http://localhost:8080
#   make test   everything CI checks: generated code, formatting, vet, all tests
GO ?= go
export GOFLAGS ?= -mod=mod

.PHONY: run test build deps generate check-generated lint

run: static/node_modules/.package-lock.json
	$(GO) build -o bin/portal ./cmd/portal
	./bin/portal serve --demo

build: static/node_modules/.package-lock.json
	$(GO) build -o bin/portal ./cmd/portal

# Front-end packages come from the npm registry, pinned in package-lock.json.
static/node_modules/.package-lock.json: static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund

deps: static/node_modules/.package-lock.json
	scripts/test-deps.sh

generate:
	$(GO) tool templ generate

check-generated:
	scripts/check-generated.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test: deps check-generated lint
	$(GO) test -count=1 -timeout 15m ./...
	# A short fuzz of the bulk upload parser (hostile spreadsheets must never panic).
	$(GO) test ./models -run XXX -fuzz FuzzParseUpload -fuzztime 10s -fuzzminimizetime 2s
