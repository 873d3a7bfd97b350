// Package sagclient is the provider's client of Smart Access Gateway
// (Smartag), built on the Alibaba Cloud Go SDK. It owns the SDK, the
// credential chain, the HTTP transport, retries and flow control (the gate),
// the paged and fanned-out reads (the instance audit) and the mapping of SDK
// errors to typed errors. It knows nothing of Terraform: callers pass a
// context and a Logger and get plain Go values back.
package sagclient
