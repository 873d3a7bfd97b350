package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// flowStateOff is the flow_state_dir that turns sharing off.
const flowStateOff = "off"

// flowStateDir is where flow control is shared with this machine's other
// runs: flow_state_dir or its variable, else the user's cache directory;
// "" (off, or no cache directory known) means not shared. It does no I/O:
// a directory that turns out unusable turns sharing off at the first read.
func (s *settings) flowStateDir(v types.String) string {
	raw, from := s.str(v, envNames("flow_state_dir"))
	switch raw {
	case flowStateOff:
		return ""
	case "":
		dir, err := sagclient.DefaultFlowStateDir()
		if err != nil {
			return "" // no cache directory (no HOME): nowhere to share
		}
		return dir
	}
	dir, err := expandHome(raw)
	if err != nil {
		s.diags.AddAttributeError(path.Root("flow_state_dir"), "Invalid path", fmt.Sprintf("The path %q (from %s): %v", raw, from, err))
		return ""
	}
	return dir
}
