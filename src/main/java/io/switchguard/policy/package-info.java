/**
 * The failover policy: pure decision code. Given a target's {@link io.switchguard.policy.Rules}, what survived from
 * earlier cycles ({@link io.switchguard.policy.TargetState}), this cycle's signals
 * ({@link io.switchguard.policy.Observation}) and the time, {@link io.switchguard.policy.Policy#evaluate} returns the
 * next state and a {@link io.switchguard.policy.Decision} whose reason sentence is logged, journaled and shown in
 * /status. No I/O, no clock reads, no Quarkus: the tests replay recorded observation sequences with a fixed clock.
 *
 * <p>Read {@link io.switchguard.policy.Policy} top to bottom: count, diagnose, confirm, guard.
 */
package io.switchguard.policy;
