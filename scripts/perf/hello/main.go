// Command hello is the ceiling for scripts/perf-pages.sh: an echo server
// that answers "Hello, World!" on one route, started in the same run as
// the portal so that each page's throughput is read as a share of what
// this stack can do on this machine at that moment.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18099", "listen address")
	flag.Parse()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, "Hello, World!") })
	log.Fatal(e.Start(*addr))
}
