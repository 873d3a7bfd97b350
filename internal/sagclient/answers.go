package sagclient

import "github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"

// apiAnswer is the decoded answer of one action: what this client reads of
// it, and the RequestId every answer of the API carries.
type apiAnswer interface {
	requestID() string
	// decodeField consumes the value of one top-level key of the answer.
	decodeField(r *answerReader, key string)
}

// onlineClientsAnswer is DescribeUserOnlineClients' answer.
type onlineClientsAnswer struct {
	RequestID string
	// Users are the sessions; only ClientIp and OnlineTime are read.
	Users []smartag.User
}

func (a *onlineClientsAnswer) requestID() string { return a.RequestID }

func (a *onlineClientsAnswer) decodeField(r *answerReader, key string) {
	switch key {
	case "RequestId":
		a.RequestID = r.str(key)
	case "Users":
		r.object(key, func(key string) {
			if key != "User" {
				r.skip()
				return
			}
			a.Users = readList(r, "Users.User", maxClientsPerAnswer, readUser)
		})
	default:
		r.skip()
	}
}

// clientUsersAnswer is one page of DescribeSmartAccessGatewayClientUsers.
type clientUsersAnswer struct {
	RequestID  string
	TotalCount int64
	PageNumber int64
	Users      []smartag.User
}

func (a *clientUsersAnswer) requestID() string { return a.RequestID }

func (a *clientUsersAnswer) decodeField(r *answerReader, key string) {
	switch key {
	case "RequestId":
		a.RequestID = r.str(key)
	case "TotalCount":
		a.TotalCount = r.integer(key)
	case "PageNumber":
		a.PageNumber = r.integer(key)
	case "Users":
		r.object(key, func(key string) {
			if key != "User" {
				r.skip()
				return
			}
			a.Users = readList(r, "Users.User", clientUsersPageSize, readUser)
		})
	default:
		r.skip()
	}
}

// readUser reads the fields of an account or a session this client uses.
func readUser(r *answerReader, u *smartag.User) {
	r.object("the entry", func(key string) {
		switch key {
		case "UserName":
			u.UserName = r.str(key)
		case "UserMail":
			u.UserMail = r.str(key)
		case "ClientIp":
			u.ClientIp = r.str(key)
		case "OnlineTime":
			u.OnlineTime = r.str(key)
		case "State":
			u.State = int(r.integer(key))
		case "Bandwidth":
			u.Bandwidth = int(r.integer(key))
		default:
			r.skip()
		}
	})
}

// statisticsAnswer is DescribeUserOnlineClientStatistics' answer.
type statisticsAnswer struct {
	RequestID string
	// limit is how many names were asked for: no more can be answered.
	limit      int
	Statistics []smartag.Statistics
}

func (a *statisticsAnswer) requestID() string { return a.RequestID }

func (a *statisticsAnswer) decodeField(r *answerReader, key string) {
	switch key {
	case "RequestId":
		a.RequestID = r.str(key)
	case "UserStatistics":
		r.object(key, func(key string) {
			if key != "Statistics" {
				r.skip()
				return
			}
			a.Statistics = readList(r, "UserStatistics.Statistics", a.limit, func(r *answerReader, s *smartag.Statistics) {
				r.object("the entry", func(key string) {
					switch key {
					case "UserName":
						s.UserName = r.str(key)
					case "OnlineCount":
						// A string in the API's documentation; a number is
						// taken as its text.
						s.OnlineCount = r.str(key)
					default:
						r.skip()
					}
				})
			})
		})
	default:
		r.skip()
	}
}

// gatewaysAnswer is one page of DescribeSmartAccessGateways.
type gatewaysAnswer struct {
	RequestID  string
	TotalCount int64
	PageNumber int64
	Gateways   []smartag.SmartAccessGateway
}

func (a *gatewaysAnswer) requestID() string { return a.RequestID }

func (a *gatewaysAnswer) decodeField(r *answerReader, key string) {
	switch key {
	case "RequestId":
		a.RequestID = r.str(key)
	case "TotalCount":
		a.TotalCount = r.integer(key)
	case "PageNumber":
		a.PageNumber = r.integer(key)
	case "SmartAccessGateways":
		r.object(key, func(key string) {
			if key != "SmartAccessGateway" {
				r.skip()
				return
			}
			a.Gateways = readList(r, "SmartAccessGateways.SmartAccessGateway", gatewaysPageSize, readGateway)
		})
	default:
		r.skip()
	}
}

func readGateway(r *answerReader, g *smartag.SmartAccessGateway) {
	r.object("the entry", func(key string) {
		switch key {
		case "SmartAGId":
			g.SmartAGId = r.str(key)
		case "Name":
			g.Name = r.str(key)
		case "Description":
			g.Description = r.str(key)
		case "Status":
			g.Status = r.str(key)
		case "CidrBlock":
			g.CidrBlock = r.str(key)
		case "UserCount":
			g.UserCount = int(r.integer(key))
		case "CreateTime":
			g.CreateTime = r.integer(key)
		default:
			r.skip()
		}
	})
}

// changeAnswer is the answer of a change (KickOutClients,
// DisableSmartAccessGatewayUser, EnableSmartAccessGatewayUser): only the
// RequestId.
type changeAnswer struct {
	RequestID string
}

func newChangeAnswer() *changeAnswer { return &changeAnswer{} }

func (a *changeAnswer) requestID() string { return a.RequestID }

func (a *changeAnswer) decodeField(r *answerReader, key string) {
	if key == "RequestId" {
		a.RequestID = r.str(key)
		return
	}
	r.skip()
}
