package flowstate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/opensmartag/terraform-provider-smartag/internal/flowcontrol"
)

const (
	// RateExpiry is how long a learned rate outlives the run that learned
	// it: long enough for the next plan of a working session, short enough
	// that a quota raised meanwhile is not held down for long.
	RateExpiry = time.Hour
	// lockWait bounds the wait for the lock: a holder alive but stuck (a
	// stopped process) must not stop the others, who go on alone meanwhile.
	lockWait = 2 * time.Second
	// lockPoll is how often a busy lock is tried again; holders keep it
	// for well under a millisecond.
	lockPoll = time.Millisecond
	// dirName is the directory under the user's cache directory.
	dirName = "terraform-provider-smartag"
)

// DefaultDir is where the state goes unless configured:
// os.UserCacheDir()/terraform-provider-smartag.
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, dirName), nil
}

// Notice is something the caller should log once: the store never fails a
// request, it tells.
type Notice struct {
	Warning bool // else informational
	Message string
	Fields  map[string]any
}

// Store is a flowcontrol.Store backed by one file of dir for one identity.
// It is safe for concurrent use.
type Store struct {
	dir, path, lockPath, identity string
	now                           func() time.Time

	mu       sync.Mutex
	lock     *flock.Flock
	file     *os.File // the state file, kept open between updates
	prepared bool
	broken   bool            // the directory cannot be used: alone from now on
	told     map[string]bool // notices already given, by kind
	notices  []Notice
}

var _ flowcontrol.Store = (*Store)(nil)

// Open returns the store of identity in dir. It does no I/O: the directory
// is created at the first Update.
func Open(dir, identity string) *Store {
	sum := sha256.Sum256([]byte("smartag-flow-state\x00" + identity))
	id := hex.EncodeToString(sum[:])
	name := filepath.Join(dir, id[:32])
	return &Store{
		dir: dir, path: name + ".json", lockPath: name + ".lock", identity: id,
		now: time.Now, told: map[string]bool{},
	}
}

// Path is the state file's path, for the log.
func (s *Store) Path() string { return s.path }

// TakeNotices returns the notices since the last call and forgets them.
func (s *Store) TakeNotices() []Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.notices
	s.notices = nil
	return n
}

// Update implements flowcontrol.Store.
func (s *Store) Update(key string, f func(*flowcontrol.SharedKey)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken {
		return flowcontrol.ErrStoreUnavailable
	}
	if err := s.prepare(); err != nil {
		return s.giveUp("the directory cannot be used", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	locked, err := s.lock.TryLockContext(ctx, lockPoll)
	cancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return s.giveUp("the lock file cannot be locked", err)
	}
	if !locked {
		s.tell("lock-busy", true, "Another process has held the shared flow-control state's lock for too long; this request goes on without it",
			map[string]any{"lock_file": s.lockPath, "waited_ms": lockWait.Milliseconds()})
		return flowcontrol.ErrStoreUnavailable
	}
	defer func() { _ = s.lock.Unlock() }()

	now := s.now()
	st := s.load()
	sk := st.shared(key, now)
	f(sk)
	st.put(key, sk, now)
	if err := s.save(st); err != nil {
		return s.giveUp("the state file cannot be written", err)
	}
	return nil
}

// prepare creates the directory 0700 (the file says which actions this
// identity uses and how fast: nobody else's business) and the lock.
func (s *Store) prepare() error {
	if s.prepared {
		return nil
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return err
	}
	s.lock = flock.New(s.lockPath, flock.SetPermissions(0o600))
	s.prepared = true
	return nil
}

// load reads the file; anything unusable is ignored (and rewritten by the
// save that follows) with one notice.
func (s *Store) load() *fileState {
	b, err := s.read()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return newState(s.identity)
	case err != nil:
		s.tell("unreadable", true, "The shared flow-control state file cannot be read; it is ignored and rewritten",
			map[string]any{"state_file": s.path, "error": err.Error()})
		s.closeFile()
		return newState(s.identity)
	case len(b) == 0:
		return newState(s.identity)
	}
	st, err := decode(b, s.identity)
	if err != nil {
		s.tell("corrupt", true, "The shared flow-control state file is corrupt or not this provider's; it is ignored and rewritten",
			map[string]any{"state_file": s.path, "error": err.Error()})
		return newState(s.identity)
	}
	return st
}

// read returns the file's content through the descriptor the store keeps
// open (reopened if the file was replaced or removed meanwhile).
func (s *Store) read() ([]byte, error) {
	if s.file != nil {
		fi, err := s.file.Stat()
		cur, cerr := os.Stat(s.path)
		if err != nil || cerr != nil || !os.SameFile(fi, cur) {
			s.closeFile()
		}
	}
	if s.file == nil {
		f, err := os.OpenFile(s.path, os.O_RDWR, 0)
		if err != nil {
			return nil, err
		}
		s.file = f
	}
	fi, err := s.file.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxFileBytes {
		return nil, fmt.Errorf("%d bytes: %w", fi.Size(), errForeign)
	}
	b := make([]byte, fi.Size())
	n, err := s.file.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:n], nil
}

// save writes st in place and trims the file to it. It is not atomic: a
// process killed mid-write leaves a file that the next reader finds corrupt
// and rewrites, which costs what was learned, never a plan. In place rather
// than by rename, because replacing a file makes ext4 (and others) flush it
// to disk, which would cost milliseconds per request.
func (s *Store) save(st *fileState) error {
	b, err := encode(st)
	if err != nil {
		return err
	}
	if s.file == nil {
		f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		s.file = f
	}
	if _, err := s.file.WriteAt(b, 0); err != nil {
		s.closeFile()
		return err
	}
	if err := s.file.Truncate(int64(len(b))); err != nil {
		s.closeFile()
		return err
	}
	return nil
}

func (s *Store) closeFile() {
	if s.file != nil {
		_ = s.file.Close()
		s.file = nil
	}
}

// giveUp turns sharing off for the life of the process, with one notice.
func (s *Store) giveUp(what string, err error) error {
	s.broken = true
	s.tell("broken", true, fmt.Sprintf("Flow control is not shared with other runs: %s", what),
		map[string]any{"state_dir": s.dir, "error": err.Error()})
	return fmt.Errorf("%w: %s: %w", flowcontrol.ErrStoreUnavailable, what, err)
}

func (s *Store) tell(kind string, warning bool, msg string, fields map[string]any) {
	if s.told[kind] {
		return
	}
	s.told[kind] = true
	s.notices = append(s.notices, Notice{Warning: warning, Message: msg, Fields: fields})
}
