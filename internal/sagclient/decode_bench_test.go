package sagclient

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// benchAnswer is a DescribeUserOnlineClients answer with n entries in
// Users.User (each entry is one online client), shaped like the real API's.
func benchAnswer(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"RequestId":"6C6B99AC-39EC-4A2C-9A4B-BENCH0000001","Users":{"User":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"OnlineTime":"%d","ClientIp":"10.%d.%d.%d"}`, 1764300000+i, 100+i/65536, (i/256)%256, i%256)
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// BenchmarkDecodeAnswer is the client's read path after the HTTP exchange:
// the SDK's responses.Unmarshal of the JSON answer into a
// DescribeUserOnlineClientsResponse (what DoAction does with the body), then
// convertUsers.
func BenchmarkDecodeAnswer(b *testing.B) {
	for _, n := range []int{1, 100, 10000} {
		body := benchAnswer(n)
		b.Run("users="+strconv.Itoa(n), func(b *testing.B) {
			decode := func() ([]OnlineClient, []string) {
				httpResp := &http.Response{
					StatusCode: http.StatusOK,
					Header:     http.Header{"Content-Type": {"application/json;charset=utf-8"}},
					Body:       io.NopCloser(bytes.NewReader(body)),
				}
				resp := smartag.CreateDescribeUserOnlineClientsResponse()
				if err := responses.Unmarshal(resp, httpResp, "JSON"); err != nil {
					b.Fatal(err)
				}
				w := newWarnings()
				return convertOnlineClients(resp.Users.User, w, newScrubber(), ""), w.list()
			}
			// Check once that the answer decodes to what it holds.
			if clients, warnings := decode(); len(clients) != n || len(warnings) != 0 {
				b.Fatalf("decoded %d clients with warnings %v, want %d and none", len(clients), warnings, n)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				decode()
			}
		})
	}
}
