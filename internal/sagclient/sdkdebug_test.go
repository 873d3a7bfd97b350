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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/endpoints"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// The SDK reads DEBUG when its packages initialise, before any test runs,
// so the test re-executes its own binary with DEBUG=sdk; the child makes
// every printer of the SDK print, sends signed requests of every kind, and
// the parent reads everything the child wrote.
const (
	sdkDebugChildEnv  = "SAGCLIENT_SDKDEBUG_CHILD_DIR"
	sdkDebugControl   = "SDKDEBUG-CONTROL: the SDK's printers are on in this process"
	sdkDebugStep      = "SDKDEBUG-STEP"
	sdkDebugChildDone = "SDKDEBUG-CHILD-DONE"
	wrongSecret       = "not+the/right=secret+0001"
)

// sdkPrinters are the SDK packages that print with DEBUG=sdk (see
// TestSDKPrintersAreKnown); the child makes each of them print.
var sdkPrinters = []string{"sdk", "sdk/auth", "sdk/errors", "sdk/endpoints"}

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
	if !strings.Contains(output, sdkDebugChildDone) {
		t.Fatalf("the child did not finish:\n%s", output)
	}
	// Each printer printed, into the sink, and nothing of it came out.
	printed := map[string]int{}
	for _, m := range regexp.MustCompile(sdkDebugStep+` (\S+) (\d+)`).FindAllStringSubmatch(output, -1) {
		printed[m[1]], _ = strconv.Atoi(m[2])
	}
	for _, name := range append([]string{"control"}, sdkPrinters...) {
		if printed[name] == 0 {
			t.Errorf("the printers of %s did not reach the sink (%v): is DEBUG=sdk on, and is the sink linked?", name, printed)
		}
	}
	if strings.Contains(output, sdkDebugControl) {
		t.Errorf("a printer made with DEBUG=sdk printed:\n%s", output)
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
		"x-acs-":                             "a request header",
		"resolve endpoint":                   "an endpoint resolution",
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
	step := func(name string, f func()) {
		before := sdkDebugLines.Load()
		f()
		fmt.Printf("%s %s %d\n", sdkDebugStep, name, sdkDebugLines.Load()-before)
	}
	// A printer made now, after sdkdebug.go's init: the sink is what
	// silences it, not the replacement of printers made earlier.
	step("control", func() { utils.Init("sdk")("%s", sdkDebugControl) })
	sdkPrintersPrint(t, step)

	// One HTTPS mock serves Smartag and STS. The STS call trusts
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
		_, err = c.DescribeUserOnlineClients(ctx, DescribeUserOnlineClientsInput{SmartAGID: smartagmock.SampleInstanceID, UserName: "alice"})
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

	step("sdk", func() {
		mustSucceed("static key", mockEndpoint, CredentialsConfig{
			AccessKeyID: smartagmock.SampleAccessKeyID, AccessKeySecret: smartagmock.SampleAccessKeySecret,
		})
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
	cc, err := resolved.provider.Get(context.Background())
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

// sdkPrintersPrint makes the printers of the SDK's packages other than sdk
// itself print, with the static test secrets in what they print.
func sdkPrintersPrint(t *testing.T, step func(string, func())) {
	step("sdk/errors", func() {
		serverErr, ok := sdkerrors.NewServerError(400, `{"Code":"SignatureDoesNotMatch","Message":"`+sdkerrors.MessageContain+`GET&%2F&server"}`, "").(*sdkerrors.ServerError)
		if !ok {
			t.Fatal("NewServerError returned no *ServerError")
		}
		_ = sdkerrors.WrapServerError(serverErr, map[string]string{"StringToSign": "GET&%2F&SecurityToken%3D" + smartagmock.SampleStsSecurityToken})
	})
	step("sdk/auth", func() {
		roa := requests.NewCommonRequest()
		roa.Method = "GET"
		roa.Domain = "smartag.example.com"
		roa.Version = "2018-03-13"
		roa.PathPattern = "/roa"
		roa.TransToAcsRequest()
		provider := credentials.NewStaticSTSCredentialsProvider(smartagmock.SampleStsAccessKeyID, smartagmock.SampleStsAccessKeySecret, smartagmock.SampleStsSecurityToken)
		if err := auth.Sign(roa, nil, smartagmock.SampleRegion, provider); err != nil {
			t.Fatal(err)
		}
	})
	step("sdk/endpoints", func() {
		if _, err := endpoints.Resolve(&endpoints.ResolveParam{Product: "Ecs", RegionId: "cn-hangzhou"}); err != nil {
			t.Fatal(err)
		}
	})
}

// sdkOutputAllowed are the SDK's direct writes to stdout and stderr in the
// packages we link, none of which our use of the SDK reaches.
var sdkOutputAllowed = map[string]string{
	"sdk/utils/debug.go": "the sink itself, replaced by sdkdebug.go",
	"sdk/client.go":      "EnableAsync called twice; we never enable async",
	"sdk/logger.go":      "the SDK's request logger, which we never open",
	"sdk/auth/credentials/uri_credentials_provider.go": "the credentials URI provider",
}

// TestSDKPrintersAreKnown reads the SDK's source, as linked into this
// package: every debug printer must be one sdkPrintersPrint exercises, and
// every other write to stdout or stderr one the SDK only makes on paths we
// do not take. A new one fails here, to be looked at.
func TestSDKPrintersAreKnown(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the SDK's packages")
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{.Dir}}{{end}}", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	const module = "github.com/aliyun/alibaba-cloud-sdk-go/"
	printer := regexp.MustCompile(`utils\.Init\(`)
	output := regexp.MustCompile(`\b(fmt\.(Print|Fprint)\w*|os\.Std(out|err)|log\.(Print|Fatal|Panic)\w*|println|print)\(`)
	var printers []string
	scanned := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		importPath, dir, ok := strings.Cut(line, " ")
		if !ok || !strings.HasPrefix(importPath, module) {
			continue
		}
		pkg := strings.TrimPrefix(importPath, module)
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			scanned++
			rel := pkg + "/" + filepath.Base(file)
			if printer.Match(src) && !slices.Contains(printers, pkg) {
				printers = append(printers, pkg)
			}
			if output.Match(src) && sdkOutputAllowed[rel] == "" {
				t.Errorf("%s writes to stdout or stderr: check whether we reach it and what it prints", rel)
			}
		}
	}
	if scanned == 0 {
		t.Fatal("no file of the SDK was found")
	}
	slices.Sort(printers)
	want := slices.Sorted(slices.Values(sdkPrinters))
	if !slices.Equal(printers, want) {
		t.Errorf("the SDK's packages with debug printers are %v, sdkPrintersPrint exercises %v", printers, want)
	}
}
