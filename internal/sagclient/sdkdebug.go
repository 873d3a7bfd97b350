package sagclient

import (
	_ "unsafe" // go:linkname

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"      // its debug printer is silenced below
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/endpoints" // idem
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"    // idem
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// With DEBUG=sdk in the environment the SDK prints every request line, with
// its Signature and SecurityToken, and the string to sign, to stdout, which
// Terraform copies into its logs. The printers are package variables set
// when the SDK's packages initialise, before any code of ours runs; replace
// them with one that prints nothing. Our own tflog lines say what was sent,
// without secrets. If the SDK renames a variable, the build fails here
// instead of silently leaking.
var (
	//go:linkname sdkDebug github.com/aliyun/alibaba-cloud-sdk-go/sdk.debug
	sdkDebug utils.Debug
	//go:linkname sdkAuthDebug github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth.debug
	sdkAuthDebug utils.Debug
	//go:linkname sdkErrorsDebug github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors.debug
	sdkErrorsDebug utils.Debug
	//go:linkname sdkEndpointsDebug github.com/aliyun/alibaba-cloud-sdk-go/sdk/endpoints.debug
	sdkEndpointsDebug utils.Debug
)

func silent(string, ...interface{}) {}

func init() {
	sdkDebug, sdkAuthDebug, sdkErrorsDebug, sdkEndpointsDebug = silent, silent, silent, silent

	// The SDK creates its endpoint map lazily without a lock; create it now,
	// before clients are built concurrently.
	smartag.GetEndpointMap()
	_ = sdk.Version
}
