# syntax=docker/dockerfile:1
#
# The Campaign Portal as one static binary on a distroless base.
#
#   docker build -t campaign-portal .
#   docker compose up            # with PostgreSQL; see docker-compose.yml

# 1. Front-end packages (htmx), installed exactly as the lockfile says. Only
#    the package files are copied first, so this layer is rebuilt only when
#    they change.
FROM node:20-bookworm-slim AS static
WORKDIR /src/static
COPY static/package.json static/package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. The Go binary. Modules are downloaded before the source is copied, so
#    that layer is cached until go.mod or go.sum change. The CSS, JavaScript,
#    htmx and the migrations are embedded in the binary; -tags timetzdata
#    embeds the time zone database too (campaigns are shown in their own
#    time zones), so the binary needs nothing from the image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=static /src/static/node_modules ./static/node_modules
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/portal ./cmd/portal

# 3. The runtime image: no shell, no package manager, a non-root user, and
#    CA certificates and tzdata included.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portal /portal
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/portal"]
CMD ["serve"]
