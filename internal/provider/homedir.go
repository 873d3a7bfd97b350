package provider

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// expandHome expands a leading "~" or "~/" to the home directory, as the
// alicloud provider (go-homedir) does; "~user" is refused rather than
// guessed. Terraform itself does not expand "~" in provider arguments.
func expandHome(p string) (string, error) {
	if p == "" || p[0] != '~' {
		return p, nil
	}
	if len(p) > 1 && p[1] != '/' && p[1] != filepath.Separator {
		return "", errors.New("only ~ and ~/ are expanded, not ~user")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, strings.TrimLeft(p[1:], `/\`)), nil
}
