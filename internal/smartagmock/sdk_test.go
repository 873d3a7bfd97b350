package smartagmock

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// sdkClient is the real Go SDK client pointed at the mock over plain HTTP.
func sdkClient(t *testing.T, s *Server, region string, cred auth.Credential) *smartag.Client {
	t.Helper()
	c, err := smartag.NewClientWithOptions(region, sdk.NewConfig(), cred)
	if err != nil {
		t.Fatalf("new SDK client: %v", err)
	}
	c.Domain = s.Endpoint
	return c
}

func sdkDescribe(c *smartag.Client, region, id, user, format string) (*smartag.DescribeUserOnlineClientsResponse, error) {
	req := smartag.CreateDescribeUserOnlineClientsRequest()
	req.RegionId = region
	req.SmartAGId = id
	req.UserName = user
	if format != "" {
		req.AcceptFormat = format
	}
	return c.DescribeUserOnlineClients(req)
}

func wantServerError(t *testing.T, err error, status int, code string) {
	t.Helper()
	_ = serverError(t, err, status, code) // only the assertions matter here
}

// serverError asserts the SDK's error and returns it for further checks.
func serverError(t *testing.T, err error, status int, code string) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want *errors.ServerError %s", err, err, code)
	}
	if se.HttpStatus() != status || se.ErrorCode() != code {
		t.Fatalf("got %d %s (%s), want %d %s", se.HttpStatus(), se.ErrorCode(), se.Message(), status, code)
	}
	if se.RequestId() == "" {
		t.Fatalf("server error without request id: %v", se)
	}
	return se
}

type ipTime struct{ ip, at string }

func wantClients(t *testing.T, got []smartag.User, want []ipTime) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d clients %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i].ClientIp != w.ip || got[i].OnlineTime != w.at {
			t.Fatalf("client %d = %s@%s, want %s@%s", i, got[i].ClientIp, got[i].OnlineTime, w.ip, w.at)
		}
	}
}

var aliceClients = []ipTime{{"10.10.1.21", "1764300000"}, {"10.10.1.22", "1764310000"}, {"172.16.5.9", "1764200000"}}

func TestSDKDescribeUserOnlineClients(t *testing.T) {
	s := startServer(t, Options{})
	ak := credentials.NewAccessKeyCredential(SampleAccessKeyID, SampleAccessKeySecret)
	c := sdkClient(t, s, SampleRegion, ak)

	t.Run("happy path keeps order", func(t *testing.T) {
		resp, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "alice", "")
		if err != nil {
			t.Fatalf("describe: %v", err)
		}
		if resp.RequestId == "" {
			t.Fatal("no RequestId")
		}
		wantClients(t, resp.Users.User, aliceClients)
	})
	t.Run("dave and hongkong erin", func(t *testing.T) {
		resp, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "dave", "")
		if err != nil {
			t.Fatal(err)
		}
		wantClients(t, resp.Users.User, []ipTime{{"192.168.100.5", "1764250000"}, {"10.10.3.4", "1764330000"}})
		hk := sdkClient(t, s, "cn-hongkong", ak)
		resp, err = sdkDescribe(hk, "cn-hongkong", SampleHongKongInstanceID, "erin", "")
		if err != nil {
			t.Fatal(err)
		}
		wantClients(t, resp.Users.User, []ipTime{{"10.20.0.8", "1764340000"}})
	})
	t.Run("empty list", func(t *testing.T) {
		for _, user := range []string{"carol", "nobody"} {
			resp, err := sdkDescribe(c, SampleRegion, SampleInstanceID, user, "")
			if err != nil {
				t.Fatalf("%s: %v", user, err)
			}
			if len(resp.Users.User) != 0 || !strings.Contains(resp.GetHttpContentString(), `"User":[]`) {
				t.Fatalf("%s: want an empty User list, got %s", user, resp.GetHttpContentString())
			}
		}
	})
	t.Run("unknown instance", func(t *testing.T) {
		_, err := sdkDescribe(c, SampleRegion, "sag-doesnotexist", "alice", "")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceNoFound")
	})
	t.Run("wrong region", func(t *testing.T) {
		hk := sdkClient(t, s, "cn-hongkong", ak)
		_, err := sdkDescribe(hk, "cn-hongkong", SampleInstanceID, "alice", "")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceNoFound")
	})
	t.Run("user name empty and invalid", func(t *testing.T) {
		_, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "", "")
		wantServerError(t, err, http.StatusBadRequest, "ClientUser.NameEmpty")
		_, err = sdkDescribe(c, SampleRegion, SampleInstanceID, "bad name!", "")
		wantServerError(t, err, http.StatusBadRequest, "ClientUser.NameInvalid")
		_, err = sdkDescribe(c, SampleRegion, "", "alice", "")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceIdEmpty")
	})
	t.Run("wrong secret", func(t *testing.T) {
		bad := sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential(SampleAccessKeyID, "not-the-secret"))
		_, err := sdkDescribe(bad, SampleRegion, SampleInstanceID, "alice", "")
		se := serverError(t, err, http.StatusBadRequest, "SignatureDoesNotMatch")
		// The SDK recognizes "same string to sign, so the secret is wrong".
		if !strings.Contains(se.Recommend(), "InvalidAccessKeySecret") {
			t.Fatalf("SDK did not match the server string to sign: recommend=%q", se.Recommend())
		}
	})
	t.Run("unknown key", func(t *testing.T) {
		bad := sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential("LTAIUnknownKey", "x"))
		_, err := sdkDescribe(bad, SampleRegion, SampleInstanceID, "alice", "")
		wantServerError(t, err, http.StatusNotFound, "InvalidAccessKeyId.NotFound")
	})
	t.Run("sts token credential", func(t *testing.T) {
		sts := sdkClient(t, s, SampleRegion, credentials.NewStsTokenCredential(SampleStsAccessKeyID, SampleStsAccessKeySecret, SampleStsSecurityToken))
		resp, err := sdkDescribe(sts, SampleRegion, SampleInstanceID, "bob", "")
		if err != nil {
			t.Fatalf("describe with STS token: %v", err)
		}
		wantClients(t, resp.Users.User, []ipTime{{"10.10.2.7", "1764320000"}})

		noToken := sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential(SampleStsAccessKeyID, SampleStsAccessKeySecret))
		_, err = sdkDescribe(noToken, SampleRegion, SampleInstanceID, "bob", "")
		wantServerError(t, err, http.StatusBadRequest, "InvalidSecurityToken.Malformed")

		wrongToken := sdkClient(t, s, SampleRegion, credentials.NewStsTokenCredential(SampleStsAccessKeyID, SampleStsAccessKeySecret, "other-token"))
		_, err = sdkDescribe(wrongToken, SampleRegion, SampleInstanceID, "bob", "")
		wantServerError(t, err, http.StatusBadRequest, "InvalidSecurityToken.Malformed")
	})
	t.Run("denied key", func(t *testing.T) {
		denied := sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential(SampleDeniedAccessKeyID, SampleDeniedAccessKeySecret))
		_, err := sdkDescribe(denied, SampleRegion, SampleInstanceID, "alice", "")
		se := serverError(t, err, http.StatusForbidden, "Forbidden.RAM")
		if !strings.Contains(se.Message(), "DescribeUserOnlineClients") {
			t.Fatalf("Forbidden.RAM message does not name the action: %q", se.Message())
		}
	})
	t.Run("XML format", func(t *testing.T) {
		resp, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "alice", "XML")
		if err != nil {
			t.Fatalf("describe XML: %v", err)
		}
		body := resp.GetHttpContentString()
		if !strings.Contains(body, "<DescribeUserOnlineClients><Users><User><OnlineTime>1764300000</OnlineTime><ClientIp>10.10.1.21</ClientIp></User>") {
			t.Fatalf("unexpected XML: %s", body)
		}
		if resp.RequestId == "" {
			t.Fatal("XML RequestId not decoded")
		}
		wantClients(t, resp.Users.User, aliceClients)
	})
}

// childEnv names the environment the AssumeRole child test runs in.
const (
	childEnvEndpoint = "SMARTAGMOCK_TEST_STS_ENDPOINT"
)

// TestSDKAssumeRole runs the SDK's RAM-role provider against StartTLS. The
// SDK's STS call trusts only system roots (loaded once per process), so the
// client half runs in a child process whose SSL_CERT_FILE is our PEM.
func TestSDKAssumeRole(t *testing.T) {
	if os.Getenv(childEnvEndpoint) != "" {
		t.Skip("parent half; the child runs TestSDKAssumeRoleChild")
	}
	if testing.Short() {
		t.Skip("spawns a subprocess")
	}
	cert, certPEM, err := NewSelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := StartTLS(Options{Fixture: SampleFixtureAt(SampleReferenceTime)}, cert)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.URL, "https://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL)
	}
	pemPath := filepath.Join(t.TempDir(), "mock.pem")
	if err := os.WriteFile(pemPath, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestSDKAssumeRoleChild$", "-test.count=1", "-test.v")
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SSL_CERT_") && !strings.Contains(strings.ToLower(strings.SplitN(kv, "=", 2)[0]), "proxy") &&
			!strings.HasPrefix(kv, "ALIBABA_CLOUD_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "SSL_CERT_FILE="+pemPath, "SSL_CERT_DIR="+t.TempDir(), childEnvEndpoint+"="+s.Endpoint)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CHILD-OK") {
		t.Fatalf("child failed: %v\n%s", err, out)
	}

	if n := s.Count("AssumeRole"); n != 1 {
		t.Fatalf("Count(AssumeRole) = %d, want 1", n)
	}
	if n := s.Count("DescribeUserOnlineClients"); n != 1 {
		t.Fatalf("Count(DescribeUserOnlineClients) = %d, want 1", n)
	}
	for _, r := range s.Requests() {
		if r.Action == "DescribeUserOnlineClients" {
			if !strings.HasPrefix(r.Params["AccessKeyId"], "STS.") || r.Params["SecurityToken"] != "<redacted>" || r.Status != 200 {
				t.Fatalf("Smartag call not made with the issued STS key: %+v", r)
			}
		}
		if r.Action == "AssumeRole" && r.Params["RoleArn"] != SampleRoleARN {
			t.Fatalf("AssumeRole recorded with RoleArn %q", r.Params["RoleArn"])
		}
	}
}

// TestSDKAssumeRoleChild is the client half of TestSDKAssumeRole.
func TestSDKAssumeRoleChild(t *testing.T) {
	endpoint := os.Getenv(childEnvEndpoint)
	if endpoint == "" {
		t.Skip("only runs as TestSDKAssumeRole's subprocess")
	}
	provider, err := credentials.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(credentials.NewStaticAKCredentialsProvider(SampleAccessKeyID, SampleAccessKeySecret)).
		WithRoleArn(SampleRoleARN).
		WithStsEndpoint(endpoint).
		Build()
	if err != nil {
		t.Fatalf("build provider: %v", err)
	}
	c, err := smartag.NewClientWithOptions(SampleRegion, sdk.NewConfig().WithScheme("HTTPS"), provider)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	c.Domain = endpoint
	resp, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "alice", "")
	if err != nil {
		t.Fatalf("describe with assumed role: %v", err)
	}
	wantClients(t, resp.Users.User, aliceClients)
	cc, err := provider.GetCredentials()
	if err != nil || !strings.HasPrefix(cc.AccessKeyId, "STS.") || cc.SecurityToken == "" {
		t.Fatalf("provider credentials: %+v, %v", cc, err)
	}
	t.Log("CHILD-OK")
}
