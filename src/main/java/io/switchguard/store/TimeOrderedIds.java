package io.switchguard.store;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Journal keys as version-7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, then random bits. New actions and
 * events then land at the growing end of the store's indexes instead of at a random leaf: on an H2 file every
 * durable write rewrites each index leaf it touched, and random keys touched a different, often uncached, leaf each
 * time. Still a UUID to everyone reading one; the random part keeps ids unguessable and unique across replicas.
 */
public final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedIds() {}

    /** An id that begins with {@code at}, the moment its row is created. */
    public static String next(Instant at) {
        long millis = at.toEpochMilli();
        long random = RANDOM.nextLong();
        long high = (millis << 16) | 0x7000L | ((random >>> 52) & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
