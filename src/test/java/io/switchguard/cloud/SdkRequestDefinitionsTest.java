package io.switchguard.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.huaweicloud.sdk.core.http.HttpRequestDef;
import com.huaweicloud.sdk.smn.v2.SmnMeta;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 item 2, the request side: each call switchguard's REST interfaces make has the method and path of the
 * official SDK's request definition for it (placeholder names aside). Here SMN; each kind's slice has its own
 * (DcsSdkRequestsTest, DrsSdkRequestsTest, DwsSdkRequestsTest). The calls the SDK does not have (DRS switch-vip and
 * get-switch-vip-status, DCS v1.0 swap) are checked against their seed documents elsewhere.
 */
public class SdkRequestDefinitionsTest {

    static Stream<Arguments> calls() {
        return Stream.of(Arguments.of(SmnApi.class, "publish", SmnMeta.publishMessage));
    }

    @ParameterizedTest(name = "{0}.{1} is the SDK''s {2}")
    @MethodSource("calls")
    void methodAndPathAreTheSdks(Class<?> api, String name, HttpRequestDef<?, ?> sdk) {
        assertSdkShape(api, name, sdk);
    }

    /** The method {@code name} of {@code api} has the SDK's verb and path. */
    public static void assertSdkShape(Class<?> api, String name, HttpRequestDef<?, ?> sdk) {
        Method m = Arrays.stream(api.getDeclaredMethods()).filter(x -> x.getName().equals(name)).findFirst()
                .orElseThrow();
        String verb = m.isAnnotationPresent(POST.class) ? "POST" : m.isAnnotationPresent(PUT.class) ? "PUT"
                : m.isAnnotationPresent(GET.class) ? "GET" : "?";
        Path path = m.getAnnotation(Path.class);
        assertNotNull(path, name);
        assertEquals(sdk.getMethod().name() + " " + shape(sdk.getUri()), verb + " " + shape("/" + path.value()));
    }

    /** A path with its placeholders unnamed: {project_id} and {dr_id} are the same segment. */
    static String shape(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }
}
