package sagclient

import "testing"

func TestParseEndpoint(t *testing.T) {
	good := map[string]Endpoint{
		"https://smartag.cn-shanghai.aliyuncs.com": {Scheme: "HTTPS", Host: "smartag.cn-shanghai.aliyuncs.com"},
		"https://smartag.example.com/":             {Scheme: "HTTPS", Host: "smartag.example.com"},
		"http://127.0.0.1:8080":                    {Scheme: "HTTP", Host: "127.0.0.1:8080"},
		"HTTP://localhost:1":                       {Scheme: "HTTP", Host: "localhost:1"},
		"smartag.example.com":                      {Scheme: "HTTPS", Host: "smartag.example.com"},
		"smartag.example.com:8443":                 {Scheme: "HTTPS", Host: "smartag.example.com:8443"},
		"  [::1]:9000  ":                           {Scheme: "HTTPS", Host: "[::1]:9000"},
	}
	for raw, want := range good {
		got, err := ParseEndpoint(raw)
		if err != nil || got != want {
			t.Errorf("ParseEndpoint(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for _, raw := range []string{
		"", "   ", "ftp://host", "https://", "https://user:pw@host", "https://host/path",
		"https://host/?a=b", "https://host?", "https://host#frag", "host:99999", "host:0", "host:abc", "://host",
	} {
		if got, err := ParseEndpoint(raw); err == nil {
			t.Errorf("ParseEndpoint(%q) = %+v, want an error", raw, got)
		}
	}
}

func TestEndpointLoopbackAndInsecure(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://127.0.0.1:1": true, "http://localhost": true, "http://[::1]:80": true,
		"http://10.0.0.1": false, "http://smartag.example.com": false,
	} {
		ep, err := ParseEndpoint(raw)
		if err != nil {
			t.Fatal(err)
		}
		if ep.Loopback() != want || !ep.Insecure() {
			t.Errorf("%s: Loopback() = %v, Insecure() = %v", raw, ep.Loopback(), ep.Insecure())
		}
	}
	if defaultEndpoint("cn-hongkong").URL() != "https://smartag.cn-hongkong.aliyuncs.com" {
		t.Errorf("the default endpoint must be HTTPS: %s", defaultEndpoint("cn-hongkong").URL())
	}
}
