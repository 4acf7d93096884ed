package workflow

import (
	"sync"
	"testing"

	"github.com/tongban/tongban"
)

func TestListingCacheBoundedLRU(t *testing.T) {
	c := &listingCache{max: 2}
	a, b, d := &tongban.Listing{Name: "a"}, &tongban.Listing{Name: "b"}, &tongban.Listing{Name: "d"}
	c.put(listingKey{1, 1}, a)
	c.put(listingKey{1, 2}, b)
	if l, ok := c.get(listingKey{1, 1}); !ok || l != a { // a is now the most recently used
		t.Fatalf("get(1,1) = %v, %v", l, ok)
	}
	c.put(listingKey{2, 1}, d) // evicts b
	if _, ok := c.get(listingKey{1, 2}); ok {
		t.Error("(1,2) should have been evicted")
	}
	if l, ok := c.get(listingKey{1, 1}); !ok || l != a {
		t.Errorf("get(1,1) after eviction = %v, %v", l, ok)
	}
	if n := c.len(); n != 2 {
		t.Errorf("len = %d, want 2", n)
	}
}

func TestListingCacheConcurrent(t *testing.T) {
	c := &listingCache{max: 8}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := listingKey{int64(i % 16), g % 3}
				if _, ok := c.get(k); !ok {
					c.put(k, &tongban.Listing{})
				}
			}
		}(g)
	}
	wg.Wait()
	if n := c.len(); n > 8 {
		t.Errorf("len = %d, exceeds the bound 8", n)
	}
}
