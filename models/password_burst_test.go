package models

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
)

// A burst of password checks (sign-in attempts from anyone, no account
// needed) queues for the hash slots instead of holding one argon2id
// memory block (19 MiB) per attempt at once: 64 at a time would need
// about 1.2 GiB; the heap stays within a few blocks per slot.
func TestPasswordBurstKeepsMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes 64 passwords")
	}
	hash, err := HashPassword("the right one")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-stop:
				return
			default:
			}
			peak = max(peak, read())
			runtime.Gosched()
		}
	}()
	const attempts = 64
	var wg sync.WaitGroup
	for i := 0; i < attempts; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := VerifyPassword(hash, "a wrong one"); ok || err != nil {
				t.Errorf("wrong password: ok=%v err=%v", ok, err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	block := uint64(argonMemoryKiB) * 1024
	// Each slot's block, and as much again not yet collected (GOGC=100).
	limit := 2*uint64(cap(hashSlots))*block + 4*block
	if grew := peak - min(peak, base); grew > limit {
		t.Errorf("heap grew by %d MiB during %d parallel checks with %d slots; want at most %d MiB",
			grew>>20, attempts, cap(hashSlots), limit>>20)
	}
	t.Logf("heap grew by at most %d MiB (%d slots, limit %d MiB, unbounded would be about %d MiB)",
		(peak-min(peak, base))>>20, cap(hashSlots), limit>>20, attempts*block>>20)
}
