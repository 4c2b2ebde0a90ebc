package io.wafleet.router.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A partition's committable offset is its oldest request still being worked on. */
class PartitionOffsetsTest {

    private final PartitionOffsets offsets = new PartitionOffsets();
    private final List<Long> acknowledged = new ArrayList<>();

    private void read(long offset, boolean work) {
        offsets.read(offset, () -> acknowledged.add(offset));
        if (work) {
            offsets.start(offset);
        }
    }

    @Test
    void onlyWhatIsBeforeTheOldestUnansweredRequestIsCommitted() {
        read(0, true);
        read(1, true);
        read(2, false); // a duplicate: nothing to work on
        read(3, true);

        offsets.commit();
        assertThat(acknowledged).as("offset 0 is still being worked on").isEmpty();

        assertThat(offsets.finish(1)).isTrue();
        offsets.commit();
        assertThat(acknowledged)
                .as("a later request done first commits nothing")
                .isEmpty();

        offsets.finish(0);
        offsets.commit();
        assertThat(acknowledged).as("up to and including 2: 3 is under way").containsExactly(2L);

        offsets.finish(3);
        offsets.commit();
        offsets.commit();
        assertThat(acknowledged).containsExactly(2L, 3L);
        assertThat(offsets.inFlight()).isZero();
        assertThat(offsets.finish(3)).as("finished once").isFalse();
    }

    @Test
    void aPartitionNothingWasReadFromCommitsNothing() {
        offsets.commit();

        assertThat(acknowledged).isEmpty();
    }
}
