package smartagmock

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"

	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

// TestConcurrentClients runs 50 goroutines against one server while the
// test also reads counters and changes faults: meant for -race.
func TestConcurrentClients(t *testing.T) {
	var logBuf testutil.LockedBuffer
	s := startServer(t, Options{Log: &logBuf, Faults: Faults{FailFirst: 1, FailFirstCode: "Throttling"}})
	users := []string{"alice", "bob", "carol", "dave"}
	const workers, perWorker = 50, 6
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	// The SDK's client constructor touches package state without locks, so
	// clients are made up front; the requests themselves run in parallel.
	clients := make([]*smartag.Client, workers)
	for w := range clients {
		clients[w] = sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential(SampleAccessKeyID, SampleAccessKeySecret))
	}
	// Parameters are made up front too: helpers may call t.Fatal.
	params := make([][]map[string]string, workers)
	for w := range params {
		for i := 0; i < perWorker; i++ {
			params[w] = append(params[w], describeParams(t, SampleInstanceID, users[(w+i)%len(users)]))
		}
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := clients[w]
			for i := 0; i < perWorker; i++ {
				user := users[(w+i)%len(users)]
				if i%2 == 0 {
					_, err := sdkDescribe(c, SampleRegion, SampleInstanceID, user, "")
					if err != nil && !isThrottling(err) {
						errs <- fmt.Errorf("worker %d SDK %s: %w", w, user, err)
					}
					continue
				}
				p := params[w][i]
				p["Signature"] = testSign(http.MethodGet, p, SampleAccessKeySecret)
				resp, err := http.Get(s.URL + "/?" + encodeParams(p, false))
				if err != nil {
					errs <- err
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 && resp.StatusCode != 400 {
					errs <- fmt.Errorf("worker %d raw %s: status %d", w, user, resp.StatusCode)
				}
			}
		}(w)
	}
	// Readers and writers of the handler's state, concurrently.
	stop := make(chan struct{})
	var side sync.WaitGroup
	side.Add(1)
	go func() {
		defer side.Done()
		for {
			select {
			case <-stop:
				return
			default:
				_ = s.Count("DescribeUserOnlineClients")
				_ = s.CountFor(SampleInstanceID, "alice")
				_ = s.Requests()
				s.SetFaults(Faults{FailFirst: 1, FailFirstCode: "Throttling"})
				time.Sleep(time.Millisecond) // contend, do not starve
			}
		}
	}()
	wg.Wait()
	close(stop)
	side.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := s.Count("DescribeUserOnlineClients"); got != workers*perWorker {
		t.Fatalf("Count = %d, want %d", got, workers*perWorker)
	}
	total := 0
	for _, u := range users {
		total += s.CountFor(SampleInstanceID, u)
	}
	if total != workers*perWorker {
		t.Fatalf("sum of CountFor = %d", total)
	}
}

func isThrottling(err error) bool {
	se, ok := err.(interface{ ErrorCode() string })
	return ok && se.ErrorCode() == "Throttling"
}
