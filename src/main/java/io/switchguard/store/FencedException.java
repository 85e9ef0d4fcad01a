package io.switchguard.store;

/**
 * A fenced write was refused: the lease term it carried is no longer the live one (expired, released,
 * or taken over with a higher epoch). Nothing was written. The caller is not the leader any more and
 * must not act; a new leader may already be acting.
 */
public class FencedException extends RuntimeException {

    private final transient Lease stale;

    public FencedException(Lease stale) {
        super("lease " + stale.name() + " epoch " + stale.epoch() + " of " + stale.holder()
                + " is no longer live: write refused");
        this.stale = stale;
    }

    /** The term the refused write carried. */
    public Lease stale() {
        return stale;
    }
}
