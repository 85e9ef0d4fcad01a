package io.switchguard.faas;

import java.util.Map;

/**
 * One check cycle, as POST /check runs it: the seam between the FaaS timer entry point (/invoke) and the checker.
 *
 * Bound to the checker by io.switchguard.check.CheckCycleRunner.
 *
 * <p>Called on a worker thread inside {@code CloudAuth.withCredentials}: every cloud call the cycle makes on
 * this thread is signed with the invocation's temporary credentials. The result is written as JSON, joined by {@link DueRunner}'s.
 */
public interface CycleRunner {

    Map<String, Object> runCycle();
}
