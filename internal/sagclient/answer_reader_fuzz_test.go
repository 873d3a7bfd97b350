package sagclient

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"testing/iotest"
)

// FuzzReadAnswer feeds arbitrary bodies to the answer reader for each of
// the four answers, with small limits so that fuzzing reaches them: it
// never panics, never keeps more entries than a limit, and an error never
// quotes the body.
func FuzzReadAnswer(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s.body))
	}
	for _, s := range []string{
		`{"RequestId":"R","TotalCount":"300","PageNumber":2.0,"Users":{"User":[{"UserName":"a","State":"1","Bandwidth":1e3}]}}`,
		`{"RequestId":"R","TotalCount":9223372036854775807,"Users":{"User":[{},{},{},{}]}}`,
		`{"RequestId":"R","Users":{"User":[]},"Users":{"User":[]}}`,
		`{"RequestId":"R","UserStatistics":{"Statistics":[{"UserName":"a","OnlineCount":3},{"UserName":"b","OnlineCount":"x"}]}}`,
		`{"RequestId":"R","SmartAccessGateways":{"SmartAccessGateway":[{"SmartAGId":"sag-1","CreateTime":"1700000000123","Links":{"Link":[{}]}}]}}`,
		`{"RequestId":"R","TotalCount":-1e300}`,
		`{"RequestId":"R"} {}`,
	} {
		f.Add([]byte(s))
	}
	const limit = 3
	f.Fuzz(func(t *testing.T, body []byte) {
		answers := []apiAnswer{&onlineClientsAnswer{}, &clientUsersAnswer{}, &statisticsAnswer{limit: limit}, &gatewaysAnswer{}}
		streamed := []apiAnswer{&onlineClientsAnswer{}, &clientUsersAnswer{}, &statisticsAnswer{limit: limit}, &gatewaysAnswer{}}
		for i, ans := range answers {
			err := readAnswer(body, ans)
			// The transport's way decodes the same: exactly, for an answer
			// within one buffer; arriving a byte at a time, what the bytes
			// accept is accepted alike, but jsoniter checks the syntax of
			// a value it skips (a number's leading zero, a control character
			// in a string) only within its buffer, so it may take more.
			if len(body) < streamBufferSize {
				whole := newAnswerLike(ans, limit)
				wholeErr := readAnswerFrom(bytes.NewReader(body), whole)
				if (err == nil) != (wholeErr == nil) || (err == nil && !reflect.DeepEqual(ans, whole)) {
					t.Fatalf("%T: from the bytes %v, %+v; streamed whole %v, %+v", ans, err, ans, wholeErr, whole)
				}
			}
			streamErr := readAnswerFrom(iotest.OneByteReader(bytes.NewReader(body)), streamed[i])
			if err == nil && (streamErr != nil || !reflect.DeepEqual(ans, streamed[i])) {
				t.Fatalf("%T: from the bytes %+v; streamed a byte at a time %v, %+v", ans, ans, streamErr, streamed[i])
			}
			if err != nil {
				var tooMany *tooManyEntriesError
				if errors.As(err, &tooMany) && tooMany.Limit <= 0 {
					t.Fatalf("a limit of %d", tooMany.Limit)
				}
				if len(err.Error()) > 400 {
					t.Fatalf("an error of %d bytes: %.100s", len(err.Error()), err)
				}
				continue
			}
			switch a := ans.(type) {
			case *onlineClientsAnswer:
				if len(a.Users) > maxClientsPerAnswer {
					t.Fatalf("%d clients", len(a.Users))
				}
			case *clientUsersAnswer:
				if len(a.Users) > clientUsersPageSize {
					t.Fatalf("%d accounts", len(a.Users))
				}
			case *statisticsAnswer:
				if len(a.Statistics) > limit {
					t.Fatalf("%d counts", len(a.Statistics))
				}
			case *gatewaysAnswer:
				if len(a.Gateways) > gatewaysPageSize {
					t.Fatalf("%d gateways", len(a.Gateways))
				}
			}
		}
	})
}

// newAnswerLike is an empty answer of ans's type.
func newAnswerLike(ans apiAnswer, limit int) apiAnswer {
	switch ans.(type) {
	case *onlineClientsAnswer:
		return &onlineClientsAnswer{}
	case *clientUsersAnswer:
		return &clientUsersAnswer{}
	case *statisticsAnswer:
		return &statisticsAnswer{limit: limit}
	}
	return &gatewaysAnswer{}
}

// What the reader takes as the SDK did, and what it refuses.
func TestReadAnswer_leniencyAndRefusals(t *testing.T) {
	ok := func(body string) *clientUsersAnswer {
		t.Helper()
		a := &clientUsersAnswer{}
		if err := readAnswer([]byte(body), a); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return a
	}
	a := ok(`{"RequestId":"R","TotalCount":"300","PageNumber":2.0,"Users":{"User":[{"UserName":12,"UserMail":null,"State":"1","Bandwidth":1e3,"ClientIp":true,"Extra":[{"x":[1]}]}]}}`)
	if a.TotalCount != 300 || a.PageNumber != 2 || len(a.Users) != 1 {
		t.Fatalf("%+v", a)
	}
	if u := a.Users[0]; u.UserName != "12" || u.UserMail != "" || u.State != 1 || u.Bandwidth != 1000 || u.ClientIp != "true" {
		t.Errorf("%+v", u)
	}
	if a := ok(`{"RequestId":"R","Users":null}`); a.Users != nil {
		t.Errorf("%+v", a)
	}
	for name, body := range map[string]string{
		"fraction":        `{"RequestId":"R","TotalCount":2.5}`,
		"out of range":    `{"RequestId":"R","TotalCount":1e19}`,
		"list twice":      `{"RequestId":"R","Users":{"User":[]},"Users":{"User":[]}}`,
		"list as object":  `{"RequestId":"R","Users":{"User":{}}}`,
		"string as array": `{"RequestId":["R"]}`,
		"trailing":        `{"RequestId":"R"} {}`,
		"truncated":       `{"RequestId":"R","Users":{"User":[{}`,
		"too many":        `{"RequestId":"R","Users":{"User":[` + repeatJoin(`{}`, clientUsersPageSize+1) + `]}}`,
	} {
		if err := readAnswer([]byte(body), &clientUsersAnswer{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func repeatJoin(s string, n int) string {
	out := s
	for range n - 1 {
		out += "," + s
	}
	return out
}
