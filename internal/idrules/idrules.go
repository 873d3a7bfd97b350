// Package idrules is the one home of the rules for Alibaba Cloud and
// Smartag identifiers, shared by the provider's plan-time validation, the
// client and the mock, so that the three can never disagree.
package idrules

import "regexp"

// Region IDs are lowercase words joined by dashes: cn-shanghai,
// ap-southeast-1, cn-shanghai-finance-1.
var RegionPattern = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)

// RegionRule says what RegionPattern accepts, for error messages.
const RegionRule = "must be a region ID such as cn-shanghai"

// SmartAGIDPattern is the ID of a SAG instance. The API reference writes
// them as "sag-" and lowercase letters and digits (sag-wfjgn**********);
// the console shows the same.
var SmartAGIDPattern = regexp.MustCompile(`^sag-[a-z0-9]{1,60}$`)

// SmartAGIDRule says what SmartAGIDPattern accepts.
const SmartAGIDRule = `must be a SAG instance ID: "sag-" followed by lowercase letters and digits, such as sag-wfjgn0abcde12345`

// RoleARNPattern is a RAM role ARN; the first group is the role's name.
var RoleARNPattern = regexp.MustCompile(`^acs:ram::[0-9]{1,32}:role/([A-Za-z0-9._@-]{1,64})$`)

// RoleARNRule says what RoleARNPattern accepts.
const RoleARNRule = "must be a RAM role ARN such as acs:ram::123456789012:role/auditor"

// SessionNamePattern is STS's rule for RoleSessionName.
var SessionNamePattern = regexp.MustCompile(`^[\w.@-]{2,64}$`)

// SessionNameRule says what SessionNamePattern accepts.
const SessionNameRule = "must be 2 to 64 letters, digits or the characters . @ - _"

// UserNamePattern is the rule for a client account's name (UserName). The
// API reference gives none beyond "must be unique"; this is what the
// console accepts for client accounts: 1 to 128 ASCII letters, digits and
// _ - . @, not starting with - or . (so nothing that needs escaping: no
// space, '/', or non-ASCII letter, which the API refuses with
// ClientUser.NameInvalid).
var UserNamePattern = regexp.MustCompile(`^[A-Za-z0-9_@][A-Za-z0-9_.@-]{0,127}$`)

// MaxUserNameLength is UserNamePattern's bound, in bytes.
const MaxUserNameLength = 128

// UserNameRule says what UserNamePattern accepts.
const UserNameRule = "must be 1 to 128 ASCII letters, digits or the characters _ - . @, not starting with - or ."
