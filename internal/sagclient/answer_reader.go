package sagclient

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"sync"

	jsoniter "github.com/json-iterator/go"
)

// answerReader decodes one JSON answer while it walks it, so that a list
// is refused at the entry past its limit, before that entry is allocated:
// decoding the whole body first (as the SDK does) lets a few megabytes of
// "{}" entries cost hundreds of megabytes. It is as lenient as the SDK
// where real answers need it: a string field may come as a number, a
// boolean or null, a number as a string.
//
// The first failure stops the walk; err says where, never quoting the body
// (a broken endpoint may echo a secret into it).
type answerReader struct {
	it  *jsoniter.Iterator
	err error
	// lists are the lists already read: a list given twice is refused, so
	// that duplicates cannot multiply what a limit allows.
	lists map[string]bool
}

// readAnswer decodes body into ans. An empty body (or one of JSON's white
// space alone) leaves ans empty, and so without a RequestId, which the
// caller refuses.
func readAnswer(body []byte, ans apiAnswer) error {
	it := jsoniter.ConfigDefault.BorrowIterator(body)
	defer jsoniter.ConfigDefault.ReturnIterator(it)
	return walkAnswer(it, ans)
}

// streamBufferSize is the buffer a streamed answer is read through.
const streamBufferSize = 32 << 10

// streamIterators are iterators with buffers of their own, for readAnswerFrom.
var streamIterators = sync.Pool{New: func() any { return jsoniter.Parse(jsoniter.ConfigDefault, nil, streamBufferSize) }}

// readAnswerFrom decodes the answer src streams into ans, as readAnswer
// does, never holding more of it than a buffer: a list past its limit is
// refused before the rest of the answer is even read. A read error ends
// the walk like the end of the input; the caller tells them apart.
func readAnswerFrom(src io.Reader, ans apiAnswer) error {
	it, _ := streamIterators.Get().(*jsoniter.Iterator)
	it.Reset(src)
	it.Error = nil
	defer func() {
		it.Reset(nil)
		it.Error = nil
		streamIterators.Put(it)
	}()
	return walkAnswer(it, ans)
}

// walkAnswer decodes the document it reads into ans.
func walkAnswer(it *jsoniter.Iterator, ans apiAnswer) error {
	if it.WhatIsNext() == jsoniter.InvalidValue && errors.Is(it.Error, io.EOF) {
		return nil // nothing but white space
	}
	r := &answerReader{it: it}
	r.object("the answer", func(key string) { ans.decodeField(r, key) })
	if r.err != nil {
		return r.err
	}
	// Only white space may follow the document.
	if it.WhatIsNext(); it.Error == nil {
		return errors.New("it holds more than one JSON document")
	}
	return nil
}

// ok reports whether the walk may go on, turning the iterator's complaint
// into err first. Any iterator error, end of input included, is a failure
// before the document is complete.
func (r *answerReader) ok() bool {
	if r.err == nil && r.it.Error != nil {
		r.err = decodeCause(r.it.Error, nil)
	}
	return r.err == nil
}

func (r *answerReader) fail(path, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s %s", path, fmt.Sprintf(format, args...))
	}
}

// kind is the next value's JSON type, for messages.
func kind(t jsoniter.ValueType) string {
	switch t {
	case jsoniter.StringValue:
		return "a string"
	case jsoniter.NumberValue:
		return "a number"
	case jsoniter.NilValue:
		return "null"
	case jsoniter.BoolValue:
		return "a boolean"
	case jsoniter.ArrayValue:
		return "an array"
	case jsoniter.ObjectValue:
		return "an object"
	}
	return "not JSON"
}

// object walks an object (null is an empty one), calling field for each
// key; field must consume the key's value.
func (r *answerReader) object(path string, field func(key string)) {
	if !r.ok() {
		return
	}
	switch t := r.it.WhatIsNext(); t {
	case jsoniter.NilValue:
		r.it.ReadNil()
	case jsoniter.ObjectValue:
		r.it.ReadObjectCB(func(_ *jsoniter.Iterator, key string) bool {
			if !r.ok() {
				return false
			}
			field(key)
			return r.ok()
		})
	default:
		r.fail(path, "is %s, not an object", kind(t))
	}
	r.ok()
}

// readList walks the array at path (null is an empty one), refusing the
// entry past limit before decoding it; entry decodes one element into its
// argument.
func readList[T any](r *answerReader, path string, limit int, entry func(r *answerReader, e *T)) []T {
	if !r.ok() {
		return nil
	}
	if r.lists[path] {
		r.fail(path, "is given twice")
		return nil
	}
	if r.lists == nil {
		r.lists = map[string]bool{}
	}
	r.lists[path] = true
	var l chunkedList[T]
	switch t := r.it.WhatIsNext(); t {
	case jsoniter.NilValue:
		r.it.ReadNil()
	case jsoniter.ArrayValue:
		r.it.ReadArrayCB(func(*jsoniter.Iterator) bool {
			if !r.ok() {
				return false
			}
			if l.n == limit {
				r.err = &tooManyEntriesError{Path: path, Limit: limit}
				return false
			}
			entry(r, l.add(limit))
			if !r.ok() {
				r.err = fmt.Errorf("%s entry %d: %w", path, l.n-1, r.err)
				return false
			}
			return true
		})
	default:
		r.fail(path, "is %s, not a list", kind(t))
	}
	if !r.ok() {
		return nil
	}
	return l.all()
}

// maxListChunk bounds the entries of one chunk of a chunkedList.
const maxListChunk = 4096

// chunkedList collects a list's entries in chunks that double up to
// maxListChunk entries, never copying one: growing a slice by append holds
// the old array and the new one at once and leaves the earlier ones as
// garbage, several times the list's size in all, for a list the limit may
// refuse at its last entry.
type chunkedList[T any] struct {
	done [][]T // full chunks
	last []T
	n    int
}

// add appends a zero entry, in a chunk no larger than the limit allows, and
// returns it.
func (l *chunkedList[T]) add(limit int) *T {
	if len(l.last) == cap(l.last) {
		if l.last != nil {
			l.done = append(l.done, l.last)
		}
		size := min(max(2*cap(l.last), 8), maxListChunk)
		if room := limit - l.n; room > 0 {
			size = min(size, room)
		}
		l.last = make([]T, 0, size)
	}
	l.last = append(l.last, *new(T))
	l.n++
	return &l.last[len(l.last)-1]
}

// all is the entries in order: the only chunk as it is, or the chunks
// copied once into a slice of the list's size.
func (l *chunkedList[T]) all() []T {
	if len(l.done) == 0 {
		return l.last
	}
	out := make([]T, 0, l.n)
	for _, c := range l.done {
		out = append(out, c...)
	}
	return append(out, l.last...)
}

// tooManyEntriesError is a list longer than the API could send.
type tooManyEntriesError struct {
	Path  string
	Limit int
}

func (e *tooManyEntriesError) Error() string {
	return fmt.Sprintf("%s lists more than the %d entries it may", e.Path, e.Limit)
}

// skip passes over a value of no interest.
func (r *answerReader) skip() {
	if r.ok() {
		r.it.Skip()
		r.ok()
	}
}

// str reads a string, taking a number as its text, a boolean as "true" or
// "false" and null as "".
func (r *answerReader) str(path string) string {
	if !r.ok() {
		return ""
	}
	var s string
	switch t := r.it.WhatIsNext(); t {
	case jsoniter.StringValue:
		s = r.it.ReadString()
	case jsoniter.NumberValue:
		s = string(r.it.ReadNumber())
	case jsoniter.BoolValue:
		s = strconv.FormatBool(r.it.ReadBool())
	case jsoniter.NilValue:
		r.it.ReadNil()
	default:
		r.fail(path, "is %s, not a string", kind(t))
	}
	r.ok()
	return s
}

// integer reads a 64-bit integer, from a number or a string holding
// one ("" and null are 0, booleans 0 and 1). A fraction is refused: a count
// of 2.5 is no count.
func (r *answerReader) integer(path string) int64 {
	const bits = 64
	if !r.ok() {
		return 0
	}
	var s string
	switch t := r.it.WhatIsNext(); t {
	case jsoniter.NumberValue:
		s = string(r.it.ReadNumber())
	case jsoniter.StringValue:
		s = r.it.ReadString()
	case jsoniter.BoolValue:
		if r.it.ReadBool() {
			s = "1"
		}
	case jsoniter.NilValue:
		r.it.ReadNil()
	default:
		r.fail(path, "is %s, not a number", kind(t))
	}
	if !r.ok() || s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err == nil {
		return n
	}
	// 3e2 and 300.0 are 300 in JSON.
	f, ferr := strconv.ParseFloat(s, 64)
	limit := math.Ldexp(1, bits-1)
	if ferr != nil || f != math.Trunc(f) || f >= limit || f < -limit {
		// The value is not quoted: the reader knows no secret to scrub.
		r.fail(path, "is not an integer of %d bits", bits)
		return 0
	}
	return int64(f)
}
