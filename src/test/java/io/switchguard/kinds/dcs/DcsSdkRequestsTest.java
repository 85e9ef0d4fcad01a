package io.switchguard.kinds.dcs;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.dcs.v2.DcsMeta;
import io.switchguard.cloud.CloudCall;
import io.switchguard.cloud.SdkRequestDefinitionsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 2, the request side: each DCS call of DcsApi has the method and path of the official SDK's. */
class DcsSdkRequestsTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("DcsApi.SWAP", DcsApi.SWAP, DcsMeta.changeMasterStandby),
                Arguments.of("DcsApi.INSTANCE", DcsApi.INSTANCE, DcsMeta.showInstance),
                Arguments.of("DcsApi.GROUPS", DcsApi.GROUPS, DcsMeta.listGroupReplicationInfo));
    }

    @ParameterizedTest(name = "{0} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(String name, CloudCall call, HttpRequestDef<?, ?> sdk) {
        SdkRequestDefinitionsTest.assertSdkShape(call, sdk);
    }
}
