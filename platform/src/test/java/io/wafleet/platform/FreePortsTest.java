package io.wafleet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void oneInstanceNeverHandsOutAPortTwice() {
        FreePorts ports = new FreePorts();
        Set<Integer> given = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            int port = ports.next();
            assertThat(port).isBetween(1, 65535);
            assertThat(given.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }
}
