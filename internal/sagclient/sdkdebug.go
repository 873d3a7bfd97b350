package sagclient

import (
	"sync/atomic"
	_ "unsafe" // go:linkname

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils" // owns the sink below
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// With DEBUG=sdk in the environment the SDK prints every request line, with
// its Signature and SecurityToken, and the string to sign, to stdout, which
// Terraform copies into its logs. Every such printer, in whichever package
// of the SDK, is a utils.Debug, and every utils.Debug prints through one
// function variable, utils.hookPrint. Replacing that one sink silences the
// printers that exist and any the SDK adds. Our own tflog lines say what
// was sent, without secrets.
//
// A go:linkname to a name the SDK no longer has would still link, as a
// variable of our own that nothing reads; the SDK initialises its sink
// before this package (it is imported), so a nil value here means exactly
// that, and init refuses to go on rather than leak.
//
//go:linkname sdkDebugSink github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils.hookPrint
var sdkDebugSink func(string)

// sdkDebugLines counts the lines the SDK tried to print: tests use it to
// prove that its printers reach the sink.
var sdkDebugLines atomic.Int64

func discardSDKDebug(string) { sdkDebugLines.Add(1) }

func init() {
	if sdkDebugSink == nil {
		panic("sagclient: the Alibaba Cloud SDK has no sdk/utils.hookPrint any more, so DEBUG=sdk would print " +
			"signed requests and security tokens: find its new debug sink and update sdkdebug.go")
	}
	sdkDebugSink = discardSDKDebug

	// The SDK creates its endpoint map lazily without a lock; create it now,
	// before clients are built concurrently.
	smartag.GetEndpointMap()
	_ = sdk.Version
}
