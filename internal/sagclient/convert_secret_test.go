package sagclient

import (
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

func TestConvertOnlineClients_echoedSecretIsWithheld(t *testing.T) {
	scrub := newScrubber()
	scrub.add(testSecret, testToken)
	w := newWarnings()
	clients := convertOnlineClients([]smartag.User{{ClientIp: "10.0.0.1 " + testToken, OnlineTime: testSecret}}, w, scrub, "")
	if c := clients[0]; c.ClientIP != "" || c.OnlineTime != "" || !c.ClientIPWithheld || !c.OnlineTimeWithheld || !c.OnlineSince.IsZero() {
		t.Fatalf("a secret was kept: %+v", c)
	}
	all := strings.Join(w.list(), "\n")
	if !strings.Contains(all, "ClientIp holds a secret") || !strings.Contains(all, "OnlineTime holds a secret") || strings.Contains(all, "is not an IP") || strings.Contains(all, testToken) || strings.Contains(all, testSecret) {
		t.Errorf("warnings %q", all)
	}
}
