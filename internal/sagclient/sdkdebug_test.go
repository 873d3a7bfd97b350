package sagclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// The SDK reads DEBUG when its packages initialise, before any test runs,
// so the test re-executes its own binary with DEBUG=sdk; the child sends
// signed requests of every kind and the parent reads everything the child
// printed.
const (
	sdkDebugChildEnv  = "SAGCLIENT_SDKDEBUG_CHILD_DIR"
	sdkDebugControl   = "SDKDEBUG-CONTROL: the SDK's printers are on in this process"
	sdkDebugChildDone = "SDKDEBUG-CHILD-DONE"
	wrongSecret       = "not-the-right-secret-0001"
)

// issuedSecrets is what AssumeRole issued in the child, for the parent to
// look for.
type issuedSecrets struct {
	AccessKeySecret string
	SecurityToken   string
}

func TestSDKDebugOutputCarriesNoSecrets(t *testing.T) {
	if dir := os.Getenv(sdkDebugChildEnv); dir != "" {
		sdkDebugChild(t, dir)
		return
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSDKDebugOutputCarriesNoSecrets$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "DEBUG=sdk", sdkDebugChildEnv+"="+dir, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	output := string(out)
	if err != nil {
		t.Fatalf("the child failed: %v\n%s", err, output)
	}
	// The child really ran, with the SDK's printers switched on.
	for _, want := range []string{sdkDebugControl, sdkDebugChildDone} {
		if !strings.Contains(output, want) {
			t.Fatalf("the child's output lacks %q:\n%s", want, output)
		}
	}

	raw, err := os.ReadFile(filepath.Join(dir, "issued.json"))
	if err != nil {
		t.Fatal(err)
	}
	var issued issuedSecrets
	if err := json.Unmarshal(raw, &issued); err != nil || issued.AccessKeySecret == "" || issued.SecurityToken == "" {
		t.Fatalf("the child did not record the STS-issued credentials: %v %s", err, raw)
	}
	forbidden := map[string]string{
		"Signature=":                         "a signature in a request line",
		"SignatureNonce=":                    "a signed URL",
		"StringToSign":                       "a string to sign",
		"stringToSign":                       "a string to sign",
		"Signature%3D":                       "an encoded signature",
		smartagmock.SampleAccessKeySecret:    "the static secret",
		smartagmock.SampleStsAccessKeySecret: "the STS-style secret",
		smartagmock.SampleStsSecurityToken:   "the security token",
		wrongSecret:                          "the wrong secret",
		issued.AccessKeySecret:               "the STS-issued secret",
		issued.SecurityToken:                 "the STS-issued security token",
		issued.SecurityToken[:40]:            "part of the STS-issued security token",
	}
	for s, what := range forbidden {
		if strings.Contains(output, s) {
			t.Errorf("with DEBUG=sdk the output carries %s (%q):\n%s", what, s, output)
		}
	}
}

// sdkDebugChild runs in the re-executed binary, with DEBUG=sdk.
func sdkDebugChild(t *testing.T, dir string) {
	// A fresh printer, made now, shows the environment switched the SDK's
	// printers on; sdkdebug.go only replaced the ones made at init.
	utils.Init("sdk")("%s", sdkDebugControl)

	// One HTTPS mock serves Smartag and STS. The SDK's STS call trusts
	// only system roots, loaded on first use: name the certificate first.
	cert, pemBytes, err := smartagmock.NewSelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	pem := filepath.Join(dir, "mock.pem")
	if err := os.WriteFile(pem, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", pem)
	srv, err := smartagmock.StartTLS(smartagmock.Options{}, cert)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	mockEndpoint := &Endpoint{Scheme: "HTTPS", Host: srv.Endpoint}

	read := func(name string, ep *Endpoint, creds CredentialsConfig) (*Client, error) {
		creds.ProfileFile = filepath.Join(dir, "absent.json")
		c, err := New(Config{Region: smartagmock.SampleRegion, Endpoint: ep, Credentials: creds, MaxRetries: 0})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err = c.DescribeUserOnlineClients(ctx, DescribeInput{SmartAGID: smartagmock.SampleInstanceID, UserName: "alice"})
		return c, err
	}
	mustSucceed := func(name string, ep *Endpoint, creds CredentialsConfig) *Client {
		c, err := read(name, ep, creds)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return c
	}
	mustFailWith := func(name, code string, ep *Endpoint, creds CredentialsConfig) {
		_, err := read(name, ep, creds)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != code {
			t.Fatalf("%s: want %s, got %v", name, code, err)
		}
	}

	mustSucceed("static key", mockEndpoint, CredentialsConfig{
		AccessKeyID: smartagmock.SampleAccessKeyID, AccessKeySecret: smartagmock.SampleAccessKeySecret,
	})
	mustSucceed("STS token", mockEndpoint, CredentialsConfig{
		AccessKeyID: smartagmock.SampleStsAccessKeyID, AccessKeySecret: smartagmock.SampleStsAccessKeySecret,
		SecurityToken: smartagmock.SampleStsSecurityToken,
	})
	mustFailWith("wrong secret", "SignatureDoesNotMatch", mockEndpoint, CredentialsConfig{
		AccessKeyID: smartagmock.SampleAccessKeyID, AccessKeySecret: wrongSecret,
	})
	assumed := mustSucceed("assume_role", mockEndpoint, CredentialsConfig{
		AccessKeyID: smartagmock.SampleAccessKeyID, AccessKeySecret: smartagmock.SampleAccessKeySecret,
		AssumeRole: &AssumeRoleConfig{RoleARN: smartagmock.SampleRoleARN}, STSEndpoint: srv.Endpoint,
	})
	if srv.Count("AssumeRole") == 0 {
		t.Fatal("assume_role: STS was never called")
	}
	resolved, err := assumed.creds()
	if err != nil {
		t.Fatal(err)
	}
	cc, err := resolved.provider.GetCredentials()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(issuedSecrets{AccessKeySecret: cc.AccessKeySecret, SecurityToken: cc.SecurityToken})
	if err := os.WriteFile(filepath.Join(dir, "issued.json"), raw, 0o600); err != nil {
		t.Fatal(err)
	}

	// A string to sign that differs from the client's makes the SDK's
	// errors package print both, the client's with the SecurityToken.
	fake := newFakeEndpoint(t, func(int, *http.Request) answer {
		return answer{status: 400, body: `{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:GET&%2F&other"}`}
	})
	mustFailWith("string to sign differs", "SignatureDoesNotMatch", fake.endpoint(t), CredentialsConfig{
		AccessKeyID: smartagmock.SampleStsAccessKeyID, AccessKeySecret: smartagmock.SampleStsAccessKeySecret,
		SecurityToken: smartagmock.SampleStsSecurityToken,
	})
	fmt.Println(sdkDebugChildDone)
}
