package com.pictura.api.axon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LruCacheTest {

    @Test
    void theLeastRecentlyUsedEntryGoesWhenTheCacheIsFull() {
        LruCache cache = new LruCache(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assertThat(cache.<String, Integer>get("a")).isEqualTo(1);   // a is now the most recently used

        cache.put("c", 3);

        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("c")).isTrue();
    }

    @Test
    void putIfAbsentAndComputeKeepTheFirstValue() {
        LruCache cache = new LruCache(10);

        assertThat(cache.putIfAbsent("k", 1)).isTrue();
        assertThat(cache.putIfAbsent("k", 2)).isFalse();
        assertThat(cache.<Integer>computeIfAbsent("k", () -> 3)).isEqualTo(1);
        cache.<Integer>computeIfPresent("k", v -> v + 10);
        assertThat(cache.<String, Integer>get("k")).isEqualTo(11);
        assertThat(cache.remove("k")).isTrue();
        assertThat(cache.remove("k")).isFalse();
    }
}
