package io.switchguard.kinds.dws;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.dws.v2.DwsMeta;
import io.switchguard.cloud.SdkRequestDefinitionsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 2, the request side: each DWS call of DwsApi has the method and path of the official SDK's. */
class DwsSdkRequestsTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of(DwsApi.class, "detail", DwsMeta.showDisasterDetail),
                Arguments.of(DwsApi.class, "failover", DwsMeta.switchFailoverDisaster),
                Arguments.of(DwsApi.class, "switchover", DwsMeta.switchoverDisasterRecovery));
    }

    @ParameterizedTest(name = "{0}.{1} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(Class<?> api, String name, HttpRequestDef<?, ?> sdk) {
        SdkRequestDefinitionsTest.assertSdkShape(api, name, sdk);
    }
}
