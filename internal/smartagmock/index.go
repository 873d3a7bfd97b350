package smartagmock

import (
	"cmp"
	"slices"
	"strconv"
	"sync"
)

// defaultResourceGroupID is every instance's resource group: the fixture has
// no resource groups, and one fixed value keeps answers stable.
const defaultResourceGroupID = "rg-acfmmock0default"

// instanceData is the handler's index of one fixture instance, built once
// so that no request does work proportional to the accounts it does not
// return. It is read-only but for what the changing actions change (an
// account's state and sessions), which mu guards.
type instanceData struct {
	mu          sync.RWMutex
	id          string
	region      string
	name        string
	description string
	status      string
	cidrBlock   string
	createMS    int64
	endMS       int64
	accounts    []account        // fixture order
	byName      map[string]int   // user name -> index in accounts
	byMail      map[string][]int // user mail -> indexes in accounts, ascending
}

// account is one client account, pre-rendered for the answers. doc.State,
// online and clients change only under the instance's mu; online is
// replaced, never changed in place, so a reader may keep the slice.
type account struct {
	doc     clientUserDoc
	online  []userDoc // DescribeUserOnlineClients' list, never nil
	clients string    // len(online) as the decimal string OnlineCount wants
}

func newInstanceData(in Instance) *instanceData {
	d := &instanceData{
		id:          in.SmartAGID,
		region:      in.Region,
		name:        in.Name,
		description: in.Description,
		status:      cmp.Or(in.Status, defaultStatus),
		cidrBlock:   in.CidrBlock,
		accounts:    make([]account, len(in.Users)),
		byName:      make(map[string]int, len(in.Users)),
		byMail:      map[string][]int{},
	}
	d.createMS, d.endMS = instanceTimes(in)
	for i, u := range in.Users {
		state := stateEnabled
		if !u.IsEnabled() {
			state = stateDisabled
		}
		online := make([]userDoc, len(u.Clients))
		for j, c := range u.Clients {
			online[j] = userDoc{OnlineTime: c.OnlineTime, ClientIP: c.ClientIP}
		}
		d.accounts[i] = account{
			doc:     clientUserDoc{UserName: u.UserName, UserMail: u.UserMail, State: state, Bandwidth: u.BandwidthKbps},
			online:  online,
			clients: strconv.Itoa(len(online)),
		}
		d.byName[u.UserName] = i
		if u.UserMail != "" {
			d.byMail[u.UserMail] = append(d.byMail[u.UserMail], i)
		}
	}
	return d
}

// account finds an account by name.
func (d *instanceData) account(name string) (*account, bool) {
	i, ok := d.byName[name]
	if !ok {
		return nil, false
	}
	return &d.accounts[i], true
}

// regionIndex lists each region's instances sorted by SmartAGId.
func regionIndex(instances map[string]*instanceData) map[string][]*instanceData {
	out := map[string][]*instanceData{}
	for _, d := range instances {
		out[d.region] = append(out[d.region], d)
	}
	for _, list := range out {
		slices.SortFunc(list, func(a, b *instanceData) int { return cmp.Compare(a.id, b.id) })
	}
	return out
}
