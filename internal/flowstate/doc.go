// Package flowstate keeps the flow-control state that provider processes
// of one identity share on one machine: a flowcontrol.Store backed by a
// small JSON file per identity, under an advisory file lock.
//
// The directory is the user's cache (os.UserCacheDir()/terraform-provider-smartag)
// unless configured. Each identity (endpoint, credentials as far as known
// without fetching any, role, ceiling: no secret) has one file named by a
// SHA-256 of it, holding the learned rate of each region/action, the recent
// grants of every process and their refusals. A lock file beside it is
// locked with flock(2) (LockFileEx on Windows) around every read-modify-
// write: the operating system releases it when its holder dies, so a
// process killed while holding it blocks nobody, and a holder that is alive
// but stuck is waited for at most lockWait before the request goes on alone.
//
// Nothing here can fail a plan. A file that is corrupt, of another format or
// identity, or unreadable is ignored with one notice and rewritten; a
// directory that cannot be used (read-only, sandboxed) turns sharing off for
// the life of the process with one notice. Files are created 0600 in a 0700
// directory. A process killed mid-write leaves a corrupt file, which the
// next reader ignores and rewrites: what was learned is lost, nothing else.
package flowstate
