package sagclient

// The audit's request sizes, exported so that whoever derives what an audit
// costs (the benchmarks' ideals) reads them from here instead of copying
// them.
const (
	// ClientUsersPageSize is the largest page of
	// DescribeSmartAccessGatewayClientUsers the audit asks for.
	ClientUsersPageSize = clientUsersPageSize
	// StatisticsBatchSize is the most user names one
	// DescribeUserOnlineClientStatistics request carries.
	StatisticsBatchSize = statisticsBatchSize
	// FanOutLimit is how many requests one read has in flight at most.
	FanOutLimit = fanOutLimit
)
