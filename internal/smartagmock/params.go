package smartagmock

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
)

// maxBodyBytes bounds what one request may make the mock buffer.
const maxBodyBytes = 1 << 20

var errBodyTooLarge = errors.New("request body exceeds 1 MiB")

// readParams merges the query and, for form posts, the body into one map,
// the way the gateway sees them. url.ParseQuery semantics apply ('+' is a
// space in both places). A name given twice with different values is refused:
// the signature could not say which one was meant.
func readParams(rawQuery, contentType string, body io.Reader) (map[string]string, error) {
	params := map[string]string{}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("malformed query string: %w", err)
	}
	if err := mergeValues(params, q); err != nil {
		return nil, err
	}
	if body == nil || !isForm(contentType) {
		return params, nil
	}
	data, err := io.ReadAll(io.LimitReader(body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(data) > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	form, err := url.ParseQuery(string(data))
	if err != nil {
		return nil, fmt.Errorf("malformed form body: %w", err)
	}
	if err := mergeValues(params, form); err != nil {
		return nil, err
	}
	return params, nil
}

func mergeValues(dst map[string]string, src url.Values) error {
	for name, values := range src {
		for _, v := range values {
			if old, ok := dst[name]; ok && old != v {
				return fmt.Errorf("parameter %q is given more than once with different values", truncate(name, 64))
			}
			dst[name] = v
		}
	}
	return nil
}

// isForm reports whether the body is application/x-www-form-urlencoded;
// other bodies are not parameters and are ignored, as the gateway does.
func isForm(contentType string) bool {
	if contentType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Tolerate sloppy parameters after a correct media type.
		mt = strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0])
	}
	return strings.EqualFold(mt, "application/x-www-form-urlencoded")
}

// truncate keeps logs and messages bounded whatever a client sends.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
