package io.switchguard.kinds.drs;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.drs.v3.DrsMeta;
import io.switchguard.cloud.SdkRequestDefinitionsTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 12 item 2, the request side: each DRS call of DrsApi has the method and path of the official SDK's. */
class DrsSdkRequestsTest {

    static Stream<Arguments> calls() {
        return Stream.of(
                Arguments.of(DrsApi.class, "batchStatus", DrsMeta.batchListJobStatus),
                Arguments.of(DrsApi.class, "batchProgress", DrsMeta.batchListProgresses));
    }

    @ParameterizedTest(name = "{0}.{1} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(Class<?> api, String name, HttpRequestDef<?, ?> sdk) {
        SdkRequestDefinitionsTest.assertSdkShape(api, name, sdk);
    }
}
