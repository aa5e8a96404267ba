//go:build !race

package catalysts_test

const raceEnabled = false
