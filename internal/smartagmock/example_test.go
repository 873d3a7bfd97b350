package smartagmock_test

import (
	"fmt"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// Point the real SDK client at an in-process mock serving the sample fixture,
// pinned at its reference time so the online times below do not move.
func ExampleStart() {
	srv, err := smartagmock.Start(smartagmock.Options{Fixture: smartagmock.SampleFixtureAt(smartagmock.SampleReferenceTime)})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client, err := smartag.NewClientWithOptions(smartagmock.SampleRegion, sdk.NewConfig(),
		credentials.NewAccessKeyCredential(smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret))
	if err != nil {
		panic(err)
	}
	client.Domain = srv.Endpoint // plain HTTP: sdk.NewConfig() defaults to it

	req := smartag.CreateDescribeUserOnlineClientsRequest()
	req.SmartAGId = smartagmock.SampleInstanceID
	req.UserName = "bob"
	resp, err := client.DescribeUserOnlineClients(req)
	if err != nil {
		panic(err)
	}
	for _, u := range resp.Users.User {
		fmt.Println(u.ClientIp, u.OnlineTime)
	}
	fmt.Println(srv.CountFor(smartagmock.SampleInstanceID, "bob"))
	// Output:
	// 10.10.2.7 1764320000
	// 1
}
