package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// What the benchmark fixture holds and the configurations read.
const (
	// SmartAGID is the one instance of the fixture; it passes the provider's
	// plan-time check (sag- and lowercase letters and digits).
	SmartAGID = "sag-bench0001"
	// Region is the instance's region.
	Region = "cn-shanghai"
	// GeneratedSmartAGID is the mock's generated instance (--generate-users),
	// which the audit scenarios read.
	GeneratedSmartAGID = smartagmock.GeneratedInstanceID
	// BigUser has BigClients online clients (scenario 3).
	BigUser = "big"
	// AccessKeyID and AccessKeySecret are the mock's sample credentials.
	AccessKeyID     = smartagmock.SampleAccessKeyID
	AccessKeySecret = smartagmock.SampleAccessKeySecret
	// baseOnlineTime is the OnlineTime of the first client (unix seconds).
	baseOnlineTime = 1764300000
)

// UserName is the name of the i-th user of the fixture (from 0).
func UserName(i int) string { return fmt.Sprintf("user%05d", i) }

// UserNames are the names of the first n users.
func UserNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = UserName(i)
	}
	return names
}

// ClientsOf is how many online clients the i-th user has: 1 or 2.
func ClientsOf(i int) int { return 1 + i%2 }

// BuildFixture is the mock's data: one instance with n users (user i has
// ClientsOf(i) online clients) and BigUser with bigClients clients.
func BuildFixture(n, bigClients int) (*smartagmock.Fixture, error) {
	if n < 0 || bigClients < 0 {
		return nil, fmt.Errorf("negative fixture size: %d users, %d clients", n, bigClients)
	}
	inst := smartagmock.Instance{SmartAGID: SmartAGID, Region: Region, Users: make([]smartagmock.User, 0, n+1)}
	for i := range n {
		u := smartagmock.User{UserName: UserName(i)}
		for k := range ClientsOf(i) {
			u.Clients = append(u.Clients, smartagmock.Client{
				ClientIP:   fmt.Sprintf("10.%d.%d.%d", 1+k, (i/250)%256, 1+i%250),
				OnlineTime: strconv.Itoa(baseOnlineTime + i + k),
			})
		}
		inst.Users = append(inst.Users, u)
	}
	big := smartagmock.User{UserName: BigUser, Clients: make([]smartagmock.Client, bigClients)}
	for i := range big.Clients {
		big.Clients[i] = smartagmock.Client{
			ClientIP:   fmt.Sprintf("10.%d.%d.%d", 100+i/65536, (i/256)%256, i%256),
			OnlineTime: strconv.Itoa(baseOnlineTime + i),
		}
	}
	inst.Users = append(inst.Users, big)
	f := &smartagmock.Fixture{
		Credentials: []smartagmock.Credential{{AccessKeyID: AccessKeyID, AccessKeySecret: AccessKeySecret}},
		Instances:   []smartagmock.Instance{inst},
	}
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("benchmark fixture: %w", err)
	}
	return f, nil
}

// WriteFixture writes f as the mock's --data file.
func WriteFixture(path string, f *smartagmock.Fixture) error {
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}
