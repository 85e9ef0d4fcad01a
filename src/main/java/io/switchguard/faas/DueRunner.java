package io.switchguard.faas;

import java.util.Map;

/**
 * The work that falls due at a time (scheduled switchovers, drill plans), run by /invoke after its check cycle.
 * In a FaaS deployment cloud credentials exist only inside an invocation, so this work waits for the next one
 * instead of running from a background timer; bound by io.switchguard.drill.DueWork.
 *
 * <p>Called inside {@code CloudAuth.withCredentials}, like {@link CycleRunner}; the answer joins the cycle's report.
 */
public interface DueRunner {

    Map<String, Object> runDue();
}
