package sagclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const ecsAnswer = `{"Code":"Success","AccessKeyId":"STS.ecs","AccessKeySecret":"ecs-secret","SecurityToken":"ecs-token",` +
	`"Expiration":"2099-01-01T00:00:00Z","LastUpdated":"2026-01-01T00:00:00Z"}`

// metadataService is a fake metadata service; withToken says whether it
// serves IMDSv2 tokens.
func metadataService(t *testing.T, withToken bool) (*ecsRoleSource, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" token="+r.Header.Get("X-aliyun-ecs-metadata-token"))
		mu.Unlock()
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" && withToken:
			if r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds") == "" {
				http.Error(w, "no ttl", http.StatusBadRequest)
				return
			}
			_, _ = w.Write([]byte("imds-v2-token\n"))
		case r.Method == http.MethodGet && r.URL.Path == "/latest/meta-data/ram/security-credentials/auditor":
			if withToken && r.Header.Get("X-aliyun-ecs-metadata-token") != "imds-v2-token" {
				http.Error(w, "no token", http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(ecsAnswer))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	base, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	h := newCredentialHTTPWith(credentialTransport(time.Second, nil), credentialTimeouts{connect: time.Second, read: time.Second})
	return &ecsRoleSource{role: "auditor", base: base, http: h}, &seen
}

func TestECSRole_IMDSv2(t *testing.T) {
	src, seen := metadataService(t, true)
	cc, err := src.credentials(context.Background())
	if err != nil || cc.AccessKeyId != "STS.ecs" || cc.AccessKeySecret != "ecs-secret" || cc.SecurityToken != "ecs-token" {
		t.Fatalf("got %+v, %v", cc, err)
	}
	want := "PUT /latest/api/token token=|GET /latest/meta-data/ram/security-credentials/auditor token=imds-v2-token"
	if got := strings.Join(*seen, "|"); got != want {
		t.Errorf("requests %s, want %s", got, want)
	}
	if _, err := src.credentials(context.Background()); err != nil || len(*seen) != 2 {
		t.Errorf("cached credentials: %d requests, %v", len(*seen), err)
	}
}

func TestECSRole_IMDSv1FallbackUnlessDisabled(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_IMDSV1_DISABLED", "")
	src, _ := metadataService(t, false)
	if cc, err := src.credentials(context.Background()); err != nil || cc.AccessKeyId != "STS.ecs" {
		t.Fatalf("IMDSv1: %+v, %v", cc, err)
	}
	t.Setenv("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")
	src, _ = metadataService(t, false)
	if _, err := src.credentials(context.Background()); err == nil || !strings.Contains(err.Error(), "IMDSv1 is disabled") {
		t.Fatalf("want IMDSv2 required, got %v", err)
	}
}

func TestECSRole_disabled(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	if _, err := newECSRoleProvider("auditor"); err == nil || !strings.Contains(err.Error(), "ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
		t.Fatalf("got %v", err)
	}
}
