package sagclient

import (
	"strings"
	"testing"
)

func TestParseSTSEndpoint(t *testing.T) {
	for raw, want := range map[string]string{
		"https://127.0.0.1:8443":  "127.0.0.1:8443",
		"HTTPS://sts.example.com": "sts.example.com",
		"sts.example.com":         "sts.example.com",
		"sts.example.com:8443":    "sts.example.com:8443",
		"https://[::1]:8443/":     "[::1]:8443",
	} {
		ep, err := ParseSTSEndpoint(raw)
		if err != nil || ep.Host != want {
			t.Errorf("%q: got %q, %v; want %q", raw, ep.Host, err, want)
		}
	}
	for raw, want := range map[string]string{
		"http://127.0.0.1:8443":   "only called over HTTPS",
		"https://sts.example/x":   "must not have a path",
		"ftp://sts.example.com":   "scheme must be https",
		"https://u:p@sts.example": "user information",
		"":                        "must not be empty",
	} {
		if _, err := ParseSTSEndpoint(raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: want an error containing %q, got %v", raw, want, err)
		}
	}
}

func TestSTSTargetHost(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_STS_REGION", "")
	t.Setenv("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "")
	cases := []struct {
		target stsTarget
		env    map[string]string
		want   string
	}{
		{target: stsTarget{endpoint: "https://127.0.0.1:8443"}, want: "127.0.0.1:8443"},
		{target: stsTarget{endpoint: "sts.example.com", region: "cn-beijing", vpc: true}, want: "sts.example.com"},
		{target: stsTarget{}, want: "sts.aliyuncs.com"},
		{target: stsTarget{vpc: true}, want: "sts.aliyuncs.com"},
		{target: stsTarget{region: "cn-hangzhou"}, want: "sts.cn-hangzhou.aliyuncs.com"},
		{target: stsTarget{region: "cn-hangzhou", vpc: true}, want: "sts-vpc.cn-hangzhou.aliyuncs.com"},
		{target: stsTarget{}, env: map[string]string{"ALIBABA_CLOUD_STS_REGION": "ap-southeast-1"}, want: "sts.ap-southeast-1.aliyuncs.com"},
		{target: stsTarget{}, env: map[string]string{"ALIBABA_CLOUD_STS_REGION": "ap-southeast-1", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "TRUE"},
			want: "sts-vpc.ap-southeast-1.aliyuncs.com"},
		{target: stsTarget{region: "cn-hangzhou"}, env: map[string]string{"ALIBABA_CLOUD_STS_REGION": "ap-southeast-1"}, want: "sts.cn-hangzhou.aliyuncs.com"},
	}
	for _, tc := range cases {
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		if got := tc.target.host(); got != tc.want {
			t.Errorf("%+v with %v: %q, want %q", tc.target, tc.env, got, tc.want)
		}
		for k := range tc.env {
			t.Setenv(k, "")
		}
	}
}
