package share

import (
	"reflect"
	"slices"
	"testing"
)

// TestOrder: a shard's share in order, then the others from the last;
// every index once.
func TestOrder(t *testing.T) {
	for _, c := range []struct {
		n, shard, shards int
		want             []int
	}{
		{5, 0, 1, []int{0, 1, 2, 3, 4}},
		{5, 0, 0, []int{0, 1, 2, 3, 4}},
		{7, 1, 3, []int{1, 4, 6, 5, 3, 2, 0}},
		{2, 2, 3, []int{1, 0}},
		{0, 1, 3, []int{}},
	} {
		got := Order(c.n, c.shard, c.shards)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Order(%d, %d, %d) = %v, want %v", c.n, c.shard, c.shards, got, c.want)
		}
		sorted := slices.Sorted(slices.Values(got))
		for i, v := range sorted {
			if v != i {
				t.Errorf("Order(%d, %d, %d) = %v: not every index once", c.n, c.shard, c.shards, got)
				break
			}
		}
	}
}
