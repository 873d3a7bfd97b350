package smartagmock

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// The changing actions through the real Go SDK, and what the reads report
// after them.

func kickOut(c *smartag.Client, format, id, user string) (*smartag.KickOutClientsResponse, error) {
	req := smartag.CreateKickOutClientsRequest()
	req.RegionId, req.SmartAGId, req.Username, req.AcceptFormat = SampleRegion, id, user, format
	return c.KickOutClients(req)
}

func disableUser(c *smartag.Client, format, id, user string) (*smartag.DisableSmartAccessGatewayUserResponse, error) {
	req := smartag.CreateDisableSmartAccessGatewayUserRequest()
	req.RegionId, req.SmartAGId, req.UserName, req.AcceptFormat = SampleRegion, id, user, format
	return c.DisableSmartAccessGatewayUser(req)
}

func enableUser(c *smartag.Client, format, id, user string) (*smartag.EnableSmartAccessGatewayUserResponse, error) {
	req := smartag.CreateEnableSmartAccessGatewayUserRequest()
	req.RegionId, req.SmartAGId, req.UserName, req.AcceptFormat = SampleRegion, id, user, format
	return c.EnableSmartAccessGatewayUser(req)
}

// stateOf is the account's State in the listing.
func stateOf(t *testing.T, c *smartag.Client, user string) int {
	t.Helper()
	resp, err := listClientUsers(c, "JSON", func(r *smartag.DescribeSmartAccessGatewayClientUsersRequest) { r.UserName = user })
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Users.User) != 1 {
		t.Fatalf("listing of %s: %d entries", user, len(resp.Users.User))
	}
	return resp.Users.User[0].State
}

// onlineCount is the account's OnlineCount in the statistics.
func onlineCount(t *testing.T, c *smartag.Client, user string) string {
	t.Helper()
	resp, err := statistics(c, "JSON", SampleInstanceID, user)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.UserStatistics.Statistics) != 1 {
		t.Fatalf("statistics of %s: %+v", user, resp.UserStatistics.Statistics)
	}
	return resp.UserStatistics.Statistics[0].OnlineCount
}

func TestSDKKickOutClients(t *testing.T) {
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			s := startServer(t, Options{})
			c := sampleClient(t, s, SampleRegion)
			resp, err := kickOut(c, format, SampleInstanceID, "alice")
			if err != nil {
				t.Fatal(err)
			}
			if resp.RequestId == "" {
				t.Fatal("no RequestId")
			}
			online, err := sdkDescribe(c, SampleRegion, SampleInstanceID, "alice", "")
			if err != nil {
				t.Fatal(err)
			}
			wantClients(t, online.Users.User, nil)
			if got := onlineCount(t, c, "alice"); got != "0" {
				t.Errorf("alice's OnlineCount after the kick-out: %s", got)
			}
			if got := stateOf(t, c, "alice"); got != 0 {
				t.Errorf("a kick-out changed alice's State to %d", got)
			}
			// Others keep their sessions.
			if got := onlineCount(t, c, "bob"); got != "1" {
				t.Errorf("bob's OnlineCount: %s", got)
			}
			// Nobody online: success again, nothing changes.
			if _, err := kickOut(c, format, SampleInstanceID, "alice"); err != nil {
				t.Fatalf("kicking out an account with nobody online: %v", err)
			}
			rr := s.Requests()
			last := rr[len(rr)-1]
			if last.Method != http.MethodPost || last.Action != actionKickOut || last.Params["Username"] != "alice" || last.Status != http.StatusOK {
				t.Errorf("recorded %+v", last)
			}
			if n := s.Count(actionKickOut); n != 2 {
				t.Errorf("counted %d kick-outs, want 2", n)
			}
		})
	}
}

func TestSDKDisableEnableClientUser(t *testing.T) {
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			s := startServer(t, Options{})
			c := sampleClient(t, s, SampleRegion)
			for range 2 { // the second time changes nothing and succeeds
				if resp, err := disableUser(c, format, SampleInstanceID, "bob"); err != nil || resp.RequestId == "" {
					t.Fatalf("disable: %v %+v", err, resp)
				}
				if got := stateOf(t, c, "bob"); got != stateDisabled {
					t.Fatalf("bob's State after disable: %d", got)
				}
			}
			// Disabling leaves the session open.
			if got := onlineCount(t, c, "bob"); got != "1" {
				t.Errorf("bob's OnlineCount after disable: %s", got)
			}
			for range 2 {
				if resp, err := enableUser(c, format, SampleInstanceID, SampleDisabledUser); err != nil || resp.RequestId == "" {
					t.Fatalf("enable: %v %+v", err, resp)
				}
				if got := stateOf(t, c, SampleDisabledUser); got != stateEnabled {
					t.Fatalf("frank's State after enable: %d", got)
				}
			}
			if s.Count(actionDisableUser) != 2 || s.Count(actionEnableUser) != 2 {
				t.Errorf("counted %d disables and %d enables", s.Count(actionDisableUser), s.Count(actionEnableUser))
			}
		})
	}
}

func TestSDKChangesRefused(t *testing.T) {
	s := startServer(t, Options{})
	c := sampleClient(t, s, SampleRegion)
	before := s.Requests()
	t.Run("unknown instance", func(t *testing.T) {
		_, err := disableUser(c, "JSON", "sag-nosuchinstance", "alice")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceNoFound")
		_, err = kickOut(c, "JSON", "sag-nosuchinstance", "alice")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceNoFound")
	})
	t.Run("instance of another region", func(t *testing.T) {
		_, err := enableUser(c, "JSON", SampleHongKongInstanceID, "erin")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceNoFound")
	})
	t.Run("unknown account", func(t *testing.T) {
		for _, err := range []error{
			func() error { _, err := kickOut(c, "JSON", SampleInstanceID, "mallory"); return err }(),
			func() error { _, err := disableUser(c, "JSON", SampleInstanceID, "mallory"); return err }(),
			func() error { _, err := enableUser(c, "JSON", SampleInstanceID, "mallory"); return err }(),
		} {
			wantServerError(t, err, http.StatusBadRequest, codeUserNotFound)
		}
	})
	t.Run("empty and invalid names", func(t *testing.T) {
		_, err := kickOut(c, "JSON", SampleInstanceID, "")
		if se := serverError(t, err, http.StatusBadRequest, "ClientUser.NameEmpty"); !strings.Contains(se.Message(), "Username") {
			t.Errorf("message %q does not name Username", se.Message())
		}
		_, err = disableUser(c, "JSON", SampleInstanceID, "bad name")
		wantServerError(t, err, http.StatusBadRequest, "ClientUser.NameInvalid")
		_, err = enableUser(c, "JSON", "", "alice")
		wantServerError(t, err, http.StatusBadRequest, "SAG.InstanceIdEmpty")
	})
	t.Run("KickOutClients reads Username, not UserName", func(t *testing.T) {
		p := baseParams(t, actionKickOut, smartagVersion, SampleAccessKeyID, time.Now())
		p["RegionId"], p["SmartAGId"], p["UserName"] = SampleRegion, SampleInstanceID, "alice"
		rawCall{method: http.MethodPost, params: p, secret: SampleAccessKeySecret}.do(t, s.URL).
			wantError(t, http.StatusBadRequest, "ClientUser.NameEmpty")
	})
	// Nothing refused changed anything.
	if got := onlineCount(t, c, "alice"); got != "3" {
		t.Errorf("alice's OnlineCount: %s", got)
	}
	if got := stateOf(t, c, SampleDisabledUser); got != stateDisabled {
		t.Errorf("frank's State: %d", got)
	}
	if n := len(s.Requests()) - len(before); n < 9 {
		t.Errorf("recorded %d requests, want every refusal recorded", n)
	}
}

// A fault refuses the change before it runs: the account is unchanged. A
// truncated answer comes after it ran: the client cannot tell, and the
// account is changed.
func TestChangeFaults(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{FailFirst: 1}})
	c := sampleClient(t, s, SampleRegion)
	_, err := disableUser(c, "JSON", SampleInstanceID, "alice")
	wantServerError(t, err, http.StatusServiceUnavailable, "ServiceUnavailable")
	s.SetFaults(Faults{})
	if got := stateOf(t, c, "alice"); got != stateEnabled {
		t.Fatalf("a refused disable changed the State to %d", got)
	}

	s.SetFaults(Faults{Malformed: MalformedTruncated})
	if _, err := kickOut(c, "JSON", SampleInstanceID, "dave"); err == nil {
		t.Fatal("a truncated answer decoded")
	}
	s.SetFaults(Faults{})
	if got := onlineCount(t, c, "dave"); got != "0" {
		t.Errorf("dave's OnlineCount after a kick-out whose answer was cut: %s", got)
	}
}
