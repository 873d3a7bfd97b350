// Package sagclient is the thin layer between the provider and the Alibaba
// Cloud Go SDK for Smart Access Gateway (Smartag). It owns the SDK, the
// credential chain, the HTTP transport, retries and the mapping of SDK errors
// to typed errors. It knows nothing of Terraform: callers pass a context and a
// Logger and get plain Go values back.
package sagclient
