/**
 * The sandbox: an in-process stand-in for the Huawei Cloud APIs switchguard calls, so the whole
 * loop runs without a cloud account and tests drive it over real HTTP.
 *
 * <p>{@link io.switchguard.sandbox.CloudSimulator} runs its own Vert.x server (127.0.0.1), checks AK/SK
 * signatures or issued tokens like APIG, records every call, serves SMN and IAM and can inject the failures
 * listed in {@link io.switchguard.sandbox.SandboxFault}. Each kind's routes and state come from its slice
 * (io.switchguard.kinds.*, a {@link io.switchguard.sandbox.SimulatedKind} registered through CDI); every resource
 * can be given a {@link io.switchguard.sandbox.DataPlaneFault} that shows on the data plane and the status APIs
 * alike. {@link io.switchguard.sandbox.SandboxLauncher} wires it into the application in sandbox mode.
 */
package io.switchguard.sandbox;
