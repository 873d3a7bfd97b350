package sagclient

import (
	"net/http"
	"net/url"
)

// ecsMetadataHost is the ECS instance metadata service. It answers only on
// the instance itself: through a proxy a request either fails or, worse,
// reaches the metadata service of the proxy's host, whose role credentials
// would then sign our requests.
const ecsMetadataHost = "100.100.100.200"

// The SDK fetches ECS role credentials (and calls STS) with a fresh clone of
// http.DefaultTransport each time, so HTTP_PROXY applies to the metadata
// service too, and the SDK offers no setting for it. Keep that one address
// off any proxy in the clones' template; every other request keeps the
// environment's proxy. Nothing else in the provider uses DefaultTransport.
func init() {
	if tr, ok := http.DefaultTransport.(*http.Transport); ok {
		tr.Proxy = bypassProxyForMetadata(tr.Proxy)
	}
}

func bypassProxyForMetadata(next func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if req.URL.Hostname() == ecsMetadataHost || next == nil {
			return nil, nil
		}
		return next(req)
	}
}
