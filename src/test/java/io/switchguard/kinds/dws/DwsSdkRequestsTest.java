package io.switchguard.kinds.dws;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.dws.v2.DwsMeta;
import io.switchguard.cloud.CloudCall;
import io.switchguard.cloud.SdkRequestDefinitionsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 2, the request side: each DWS call of DwsApi has the method and path of the official SDK's. */
class DwsSdkRequestsTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of("DwsApi.DETAIL", DwsApi.DETAIL, DwsMeta.showDisasterDetail),
                Arguments.of("DwsApi.FAILOVER", DwsApi.FAILOVER, DwsMeta.switchFailoverDisaster),
                Arguments.of("DwsApi.SWITCHOVER", DwsApi.SWITCHOVER, DwsMeta.switchoverDisasterRecovery));
    }

    @ParameterizedTest(name = "{0} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(String name, CloudCall call, HttpRequestDef<?, ?> sdk) {
        SdkRequestDefinitionsTest.assertSdkShape(call, sdk);
    }
}
