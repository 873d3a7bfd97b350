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
	// A control: the credential calls' own client (STS, credentials URI)
	// goes through the proxy, for any host.
	h := newCredentialHTTP(credentialTimeouts{connect: time.Second, read: time.Second})
	req, err := http.NewRequest(http.MethodGet, "http://smartag.example.test/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.do(context.Background(), req, "http://smartag.example.test"); err != nil {
		t.Fatalf("the control request did not reach the proxy %s: %v", proxy, err)
	}

	// The ECS source: nothing answers at the metadata address here, so it
	// fails; what matters is where its requests went.
	ecs, err := newECSRoleProvider("auditor")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ecs.credentials(context.Background()); err == nil {
		t.Fatal("ECS credentials were fetched, from where?")
	}
}
