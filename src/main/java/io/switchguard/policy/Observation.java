package io.switchguard.policy;

import io.switchguard.probe.ProbeResult;
import java.time.Instant;

/**
 * One cycle's signals for a target. Any signal may be null: not configured, or not available this cycle.
 *
 * @param at        when the cycle ran (the checker's clock)
 * @param dataPlane redis/tcp/http probe of the primary, as the checker sees it
 * @param cloud     the cloud's own status for the target: DCS instance status, DRS job status and lag, DWS DR status
 *                  and lastSync. DOWN means the cloud reports the primary not running, or the status call failed;
 *                  {@link Policy#isolated} is what catches the cycle where every call failed at once
 * @param standby   the standby's view of its master link (masterLinkUp) and its lag
 */
public record Observation(Instant at, ProbeResult dataPlane, ProbeResult cloud, ProbeResult standby) {}
