package io.switchguard.faas;

/**
 * One check cycle, as POST /check runs it: the seam between the FaaS timer entry point (/invoke) and the checker.
 *
 * <p>Integration: bind this to the checker, e.g. an {@code @ApplicationScoped} bean in the check package
 * {@code class CheckCycleRunner implements CycleRunner { public Object runCycle() { return checker.cycle(); } }}.
 * Bound to the checker by io.switchguard.check.CheckCycleRunner.
 *
 * <p>Called on a worker thread inside {@code CloudAuth.withCredentials}: every cloud call the cycle makes on
 * this thread is signed with the invocation's temporary credentials. The result is written as JSON.
 */
public interface CycleRunner {

    Object runCycle();
}
