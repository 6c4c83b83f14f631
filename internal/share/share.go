// Package share is how processes that share a folder split a batch of
// work (the proposals of a fit's generation, the runs of an
// optimization's round) so that none waits for another: each takes its
// own share first, then, from the other end, whatever the folder's store
// still lacks. It imports only the standard library.
package share

// Order returns the indices of a batch of n items in the order shard (of
// shards) works on them: its share (the indices equal to shard modulo
// shards) in order, then the others from the last. Shards below 1 count
// as one.
func Order(n, shard, shards int) []int {
	shards = max(1, shards)
	order := make([]int, 0, n)
	for i := shard % shards; i < n; i += shards {
		order = append(order, i)
	}
	for i := n - 1; i >= 0; i-- {
		if i%shards != shard%shards {
			order = append(order, i)
		}
	}
	return order
}
