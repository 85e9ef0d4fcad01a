package io.switchguard.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CloudCallTest {

    private static final CloudCall PUBLISH = CloudCall.post("v2/{project_id}/notifications/topics/{topic_urn}/publish");

    @Test
    void theValuesFillThePlaceholdersInOrderAndTheProjectIsSentAsAHeader() {
        CloudRequest request = PUBLISH.in("p1", "urn:smn:eu-de:p1:topic");

        assertEquals("POST", request.method());
        // ':' is a path character (RFC 3986 pchar): a topic URN goes as it is, as the SDK sends it.
        assertEquals("v2/p1/notifications/topics/urn:smn:eu-de:p1:topic/publish", request.path());
        assertEquals("p1", request.projectId());
        assertNull(request.body());
        assertEquals("{\"a\":1}", request.withBody("{\"a\":1}").body());
    }

    @Test
    void aValueStaysOneSegment() {
        // A '/' or a space in an id must not reach another path or break the request line.
        assertEquals("v2/a%2Fb/notifications/topics/x%20y%C3%A4/publish", PUBLISH.in("a/b", "x yä").path());
    }

    @Test
    void aCallGivenTheWrongNumberOfValuesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PUBLISH.in("p1"));
        assertThrows(IllegalArgumentException.class, () -> PUBLISH.in("p1", "t", "extra"));
    }
}
