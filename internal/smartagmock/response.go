package smartagmock

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
)

const (
	contentTypeJSON = "application/json;charset=utf-8"
	contentTypeXML  = "text/xml;charset=utf-8"
	contentTypeHTML = "text/html"
	xmlHeader       = "<?xml version='1.0' encoding='UTF-8'?>"
)

// reply is a fully rendered answer; rendering before writing lets the
// handler record exactly what was sent and lets faults rewrite it.
type reply struct {
	status      int
	code        string // error code, or a fault marker; "" on success
	contentType string
	body        []byte
	// location is the Location header of a redirect.
	location string
}

// errorDoc is the real gateway's error document.
type errorDoc struct {
	XMLName   xml.Name `json:"-" xml:"Error"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
	HostID    string   `json:"HostId" xml:"HostId"`
	Code      string   `json:"Code" xml:"Code"`
	Message   string   `json:"Message" xml:"Message"`
	Recommend string   `json:"Recommend" xml:"-"`
}

// render encodes v as the requested format. The documents are plain structs,
// so encoding cannot fail; a failure would be a programming error.
func render(format string, status int, code string, v any) *reply {
	if format == formatJSON {
		// No HTML escaping: the real service writes "&" in messages as is.
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			panic("smartagmock: encode JSON answer: " + err.Error())
		}
		return &reply{status: status, code: code, contentType: contentTypeJSON, body: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}
	}
	body, err := xml.Marshal(v)
	if err != nil {
		panic("smartagmock: encode XML answer: " + err.Error())
	}
	return &reply{status: status, code: code, contentType: contentTypeXML, body: append([]byte(xmlHeader), body...)}
}

// errorReply renders e for this call (format, request id, host).
func (c *call) errorReply(e *apiError) *reply {
	doc := errorDoc{
		RequestID: c.requestID,
		HostID:    c.host,
		Code:      e.code,
		Message:   e.message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(e.code) +
			"&product=" + url.QueryEscape(c.product) + "&requestId=" + c.requestID,
	}
	return render(c.format, e.status, e.code, doc)
}

// write sends a rendered reply with the headers the real gateway sets.
func (rep *reply) write(w http.ResponseWriter, requestID string) {
	h := w.Header()
	h.Set("Content-Type", rep.contentType)
	if rep.location != "" {
		h.Set("Location", rep.location)
	}
	if requestID != "" {
		h.Set("x-acs-request-id", requestID)
	}
	w.WriteHeader(rep.status)
	//nolint:gosec // G705: JSON/XML/HTML documents we encoded, sent with their content type
	_, _ = w.Write(rep.body) // the client may be gone; nothing useful to do
}
