package sagclient

import (
	"bytes"
	"context"
	"errors"
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

// emptyEntries is a 3 MB answer of n entries "{}": the smallest hostile
// body that costs the most to decode.
func emptyEntries(n int) []byte {
	return []byte(`{"RequestId":"REQ-BIG","Users":{"User":[` + strings.Repeat(`{},`, n-1) + `{}]}}`)
}

func httpAnswer(body []byte) *http.Response {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json;charset=utf-8"}},
		Body:       io.NopCloser(bytes.NewReader(body)),
	}
}

// decodeToday is how answers were decoded before: the SDK's
// responses.Unmarshal (jsoniter, the whole body into the SDK's types), then
// the limit checked on the result. Kept as the benchmarks' baseline.
func decodeToday(body []byte) ([]smartag.User, error) {
	resp := smartag.CreateDescribeUserOnlineClientsResponse()
	if err := responses.Unmarshal(resp, httpAnswer(body), "JSON"); err != nil { //nolint:bodyclose // Unmarshal closes it
		return nil, err
	}
	if n := len(resp.Users.User); n > maxClientsPerAnswer {
		return nil, fmt.Errorf("it lists %d entries, more than the %d it may", n, maxClientsPerAnswer)
	}
	return resp.Users.User, nil
}

// decodeStreaming is the client's path: the SDK only reads the bytes (a
// CommonResponse), readAnswer decodes them.
func decodeStreaming(body []byte) ([]smartag.User, error) {
	resp := responses.NewCommonResponse()
	if err := responses.Unmarshal(resp, httpAnswer(body), "JSON"); err != nil { //nolint:bodyclose // Unmarshal closes it
		return nil, err
	}
	ans := &onlineClientsAnswer{}
	if err := readAnswer(resp.GetHttpContentBytes(), ans); err != nil {
		return nil, err
	}
	return ans.Users, nil
}

var decoders = []struct {
	name   string
	decode func([]byte) ([]smartag.User, error)
}{{"today-sdk", decodeToday}, {"streaming", decodeStreaming}}

// BenchmarkDecodeAnswer is the client's read path after the HTTP exchange,
// the old way and the new side by side: decoding, then convertOnlineClients.
func BenchmarkDecodeAnswer(b *testing.B) {
	for _, n := range []int{1, 100, 10000} {
		body := benchAnswer(n)
		for _, d := range decoders {
			b.Run(d.name+"/users="+strconv.Itoa(n), func(b *testing.B) {
				decode := func() ([]OnlineClient, []string) {
					users, err := d.decode(body)
					if err != nil {
						b.Fatal(err)
					}
					w := newWarnings()
					return convertOnlineClients(users, w, newScrubber(), ""), w.list()
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
}

// BenchmarkRefuseEmptyEntries is a 3 MB answer of a million "{}": refused
// both ways, at very different costs (see B/op).
func BenchmarkRefuseEmptyEntries(b *testing.B) {
	body := emptyEntries(1 << 20)
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.decode(body); err == nil {
					b.Fatal("a million entries were accepted")
				}
			}
		})
	}
}

func TestDecodeStreaming_refusesTheEntryPastTheLimit(t *testing.T) {
	_, err := decodeStreaming(emptyEntries(maxClientsPerAnswer + 1))
	var tooMany *tooManyEntriesError
	if !errors.As(err, &tooMany) || tooMany.Limit != maxClientsPerAnswer || tooMany.Path != "Users.User" {
		t.Fatalf("got %v", err)
	}
	users, err := decodeStreaming(emptyEntries(maxClientsPerAnswer))
	if err != nil || len(users) != maxClientsPerAnswer {
		t.Fatalf("%d users, %v: the limit itself is allowed", len(users), err)
	}
}

// BenchmarkClientAnswer is the client's whole read path for one answer:
// the HTTP exchange with a local server, the SDK carrying the bytes,
// decoding and conversion. "empty-entries" is the 3 MB answer of a million
// "{}", refused; B/op is what one such answer costs the provider, 16 of
// which an audit may have in flight at once.
func BenchmarkClientAnswer(b *testing.B) {
	for _, c := range []struct {
		name    string
		body    []byte
		refused bool
	}{
		{"users=1", benchAnswer(1), false},
		{"users=10000", benchAnswer(10000), false},
		{"empty-entries=1048576", emptyEntries(1 << 20), true},
	} {
		b.Run(c.name, func(b *testing.B) {
			body := string(c.body)
			f := newFakeEndpoint(b, func(int, *http.Request) answer { return ok(body) })
			client := newTestClient(b, f.endpoint(b))
			ctx := context.Background()
			in := DescribeUserOnlineClientsInput{SmartAGID: "sag-abc123", UserName: "alice"}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				_, err := client.DescribeUserOnlineClients(ctx, in)
				var tooMany *tooManyEntriesError
				if c.refused != errors.As(err, &tooMany) {
					b.Fatalf("refused %v, got %v", c.refused, err)
				}
			}
		})
	}
}
