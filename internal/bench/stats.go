package bench

import (
	"errors"
	"slices"
	"time"
)

// Median of xs (the mean of the middle two for an even count); 0 for none.
func Median[T ~int64 | ~float64 | ~int](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// IdealOverlap is N·L/P: the wall time N requests of latency L add to a
// plan when P of them always run at once.
func IdealOverlap(n, parallelism int, latency time.Duration) time.Duration {
	if parallelism <= 0 {
		return 0
	}
	return time.Duration(int64(latency) * int64(n) / int64(parallelism))
}

// ErrNoAddedTime is returned by Efficiency when the plan with latency was
// not slower than the plan without: there is nothing to divide by.
var ErrNoAddedTime = errors.New("the plan with added latency was not slower than the plan without")

// Efficiency is (N·L/P) / (wallL − wall0): 1 when the latency costs exactly
// what perfect overlap of P requests at a time predicts, 1/P when the
// requests are serialised. It can exceed 1: latency also hides CPU work
// that the plan without latency does while no request waits.
func Efficiency(ideal, wallL, wall0 time.Duration) (float64, error) {
	added := wallL - wall0
	if added <= 0 {
		return 0, ErrNoAddedTime
	}
	return float64(ideal) / float64(added), nil
}

// PerItem is (with − without)/n: the cost of one of n items.
func PerItem(with, without time.Duration, n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return (with - without) / time.Duration(n)
}
