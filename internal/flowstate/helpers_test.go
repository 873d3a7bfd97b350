package flowstate

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

// windowServer admits at most q requests in any rolling second, for every
// caller together, like Alibaba Cloud's flow control (refused requests do
// not count). It records the arrival of every admitted request.
type windowServer struct {
	q        int
	mu       sync.Mutex
	admitted []time.Time
	refused  int
}

func (s *windowServer) admit(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i := len(s.admitted) - 1; i >= 0 && s.admitted[i].After(now.Add(-time.Second)); i-- {
		n++
	}
	if n >= s.q {
		s.refused++
		return false
	}
	s.admitted = append(s.admitted, now)
	return true
}

// maxInWindow is the most admitted requests in any second.
func (s *windowServer) maxInWindow() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	best, lo := 0, 0
	for hi := range s.admitted {
		for s.admitted[hi].Sub(s.admitted[lo]) >= time.Second {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// runReads sends n requests of key through g with workers goroutines,
// each request taking latency, a refused one sent again.
func runReads(ctx context.Context, t *testing.T, g *flowcontrol.Governor, srv *windowServer, key string, n, workers int, latency time.Duration) {
	t.Helper()
	var wg sync.WaitGroup
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	for range workers {
		wg.Go(func() {
			for range jobs {
				for {
					tk, err := g.Acquire(ctx, key)
					if err != nil {
						t.Error(err)
						return
					}
					ok := srv.admit(time.Now())
					time.Sleep(latency)
					if ok {
						tk.Done(flowcontrol.Success)
						break
					}
					tk.Done(flowcontrol.Throttled)
				}
			}
		})
	}
	wg.Wait()
}

// testContext is the helper processes' context: they have no test.
func testContext() context.Context { return context.Background() }
