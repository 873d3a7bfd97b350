package sagclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

const metadataProxyChildEnv = "SAGCLIENT_METADATA_PROXY_CHILD"

// net/http reads HTTP_PROXY once per process, so the test re-executes its
// own binary with HTTP_PROXY pointing at a recording proxy it starts.
func TestECSMetadataRequestsBypassTheProxy(t *testing.T) {
	if proxy := os.Getenv(metadataProxyChildEnv); proxy != "" {
		metadataProxyChild(t, proxy)
		return
	}
	var (
		mu    sync.Mutex
		hosts []string
	)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.URL.Host)
		mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestECSMetadataRequestsBypassTheProxy$", "-test.count=1")
	cmd.Env = append(os.Environ(), metadataProxyChildEnv+"="+proxy.URL, "HTTP_PROXY="+proxy.URL, "http_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the child failed: %v\n%s", err, out)
	}

	mu.Lock()
	defer mu.Unlock()
	// The child's control request shows the proxy was in use.
	if !slices.Contains(hosts, "smartag.example.test") {
		t.Fatalf("the proxy saw %v: HTTP_PROXY was not in effect in the child", hosts)
	}
	if slices.Contains(hosts, ecsMetadataHost) {
		t.Errorf("requests to the ECS metadata service went through the proxy: %v", hosts)
	}
}

func metadataProxyChild(t *testing.T, proxy string) {
	// A control: what the SDK's clones of DefaultTransport do for any host.
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		t.Fatalf("http.DefaultTransport is a %T", http.DefaultTransport)
	}
	tr := base.Clone()
	req, err := http.NewRequest(http.MethodGet, "http://smartag.example.test/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("the control request did not reach the proxy %s: %v", proxy, err)
	}
	_ = resp.Body.Close()

	// The SDK's ECS provider: nothing answers at the metadata address here,
	// so it fails; what matters is where its requests went.
	ecs, err := credentials.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName("auditor").
		WithHttpOptions(&credentials.HttpOptions{ConnectTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond}).Build()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.GetCredentials(); err == nil {
		t.Fatal("ECS credentials were fetched, from where?")
	}
}
