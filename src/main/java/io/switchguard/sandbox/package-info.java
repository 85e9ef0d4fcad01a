/**
 * The sandbox: an in-process stand-in for the Huawei Cloud APIs switchguard calls, so the whole
 * loop runs without a cloud account and tests drive it over real HTTP.
 *
 * <p>{@link io.switchguard.sandbox.CloudSimulator} serves DCS, DRS, DWS, SMN and IAM routes on its
 * own Vert.x server (127.0.0.1), checks AK/SK signatures or issued tokens like APIG, records every
 * call and can inject the failures listed in {@link io.switchguard.sandbox.SandboxFault}. Each DCS
 * instance also gets a simulated data plane (RESP listeners whose roles follow the API state, see
 * {@link io.switchguard.sandbox.SimulatedRedisNode}) and every resource can be given a
 * {@link io.switchguard.sandbox.DataPlaneFault} that shows on the data plane and the status APIs alike. It
 * is plain Java: wiring it into the application (profile, config, demo targets) happens elsewhere.
 */
package io.switchguard.sandbox;
