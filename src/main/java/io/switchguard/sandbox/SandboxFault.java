package io.switchguard.sandbox;

import java.util.EnumSet;
import java.util.Set;

/**
 * Faults the {@link CloudSimulator} can inject into one resource's calls.
 *
 * <p>Unless a fault says otherwise it applies to the resource's switchover call (DCS swap, DRS
 * switch-vip, DWS failover; the generic HTTP ones also to SMN publish, keyed by topic URN) and a
 * faulted call changes no state. A fault that does not apply to a call is not consumed by it.
 */
public enum SandboxFault {
    /** DCS swap: 400 {@code {"error_msg":"Master standby swap is not supported.","error_code":"DCS.4855","error_ext_msg":null}}. */
    DCS_4855(Op.DCS_V2, Op.DCS_V1),
    /** DCS swap: 500 {@code {"error_msg":"Master standby swap failed.","error_code":"DCS.5094","error_ext_msg":null}}. */
    DCS_5094(Op.DCS_V2, Op.DCS_V1),
    /** DCS v1.0 swap: HTTP 200 with {@code code "1"} (v1.0 answers 200 even when it fails). */
    V1_CODE_1(Op.DCS_V1),
    /** DCS v1.0 swap: HTTP 200 with {@code code "2"} (master/standby state abnormal). */
    V1_CODE_2(Op.DCS_V1),
    /** DCS v1.0 swap: HTTP 200 with {@code code "3"} (internal service error). */
    V1_CODE_3(Op.DCS_V1),
    /** DRS switch-vip: 202 {@code {"id":..,"status":"failed","error_code":..,"error_msg":..}}, no switch. */
    DRS_FAILED(Op.DRS),
    /** DRS switch-vip answers success, but get-switch-vip-status ends {@code SWITCH_VIP_FAILED}; VIP not moved. */
    DRS_SWITCH_FAILED(Op.DRS),
    /** DWS failover is submitted (200), the DR goes {@code switchovering}, then ends {@code abnormal}; roles not traded. */
    DWS_FAILOVER_FAILS(Op.DWS),
    /** 401, flat {@code error_code/error_msg} body (APIGW.0301). */
    HTTP_401(Op.SWITCHOVERS_AND_SMN),
    /** 403, nested {@code {"error":{"code","message"}}} body (APIGW.0402). */
    HTTP_403(Op.SWITCHOVERS_AND_SMN),
    /** 404, flat {@code error_code/error_msg} body (APIGW.0101). */
    HTTP_404(Op.SWITCHOVERS_AND_SMN),
    /** 500, flat {@code code/message} body. */
    HTTP_500(Op.SWITCHOVERS_AND_SMN),
    /** 503, nested {@code {"error":{"code","message"}}} body. */
    HTTP_503(Op.SWITCHOVERS_AND_SMN),
    /** 500 with a {@code text/html} body. */
    NON_JSON_500(Op.SWITCHOVERS_AND_SMN),
    /** 500 with no body at all. */
    EMPTY_500(Op.SWITCHOVERS_AND_SMN),
    /**
     * The call takes effect at once, but the answer is sent only after {@code slowDelay}: the
     * "took effect, caller timed out" case.
     */
    SLOW(Op.SWITCHOVERS_AND_SMN),
    /**
     * The switchover takes effect, but the API gateway in front answers 502 APIGW.0203: the backend ran the
     * call and the caller cannot tell from the answer.
     */
    GATEWAY_502_AFTER_EFFECT(Op.DCS_V2, Op.DCS_V1, Op.DRS, Op.DWS),
    /**
     * The call answers success but nothing happens: DCS roles do not trade, the DRS VIP does not
     * move (its status query still says complete), the DWS DR returns to running with roles unchanged.
     */
    NO_EFFECT(Op.DCS_V2, Op.DCS_V1, Op.DRS, Op.DWS),
    /**
     * The status/verification APIs (DCS groups, DRS get-switch-vip-status, DWS DR detail) answer
     * 404 APIGW.0101 as if unavailable in the region. Does not affect the switchover call.
     */
    STATUS_404(Op.STATUS);

    /** The kinds of call a fault can apply to. */
    public enum Op {
        DCS_V2, DCS_V1, DRS, DWS, SMN, STATUS;

        static final Op[] SWITCHOVERS_AND_SMN = {DCS_V2, DCS_V1, DRS, DWS, SMN};
    }

    private final Set<Op> ops;

    SandboxFault(Op... ops) {
        this.ops = EnumSet.of(ops[0], ops);
    }

    boolean appliesTo(Op op) {
        return ops.contains(op);
    }
}
