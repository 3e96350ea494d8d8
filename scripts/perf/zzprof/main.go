package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"campaignportal/models"
)

func main() {
	ctx := context.Background()
	db, err := models.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		panic(err)
	}
	f, _ := os.Open(os.Args[1])
	pf, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(pf)
	start := time.Now()
	sum, err := models.NewStore(db).ImportNDJSON(ctx, f, true, nil)
	pprof.StopCPUProfile()
	fmt.Println(sum, err, time.Since(start))
}
