package io.s3logger.adapter.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FramingLimitsTest {

    @Test
    void defaultIsTheProtocolsFourMebibytesAndThousandLevels() {
        assertThat(FramingLimits.DEFAULT.maxObjectBytes()).isEqualTo(4_194_304);
        assertThat(FramingLimits.DEFAULT.maxDepth()).isEqualTo(1_000);
    }

    @Test
    void memoryBudgetMinimumIsSizedFromTheDefaultObjectLimit() {
        assertThat(ConnectionMemoryBudget.MIN_CAPACITY_BYTES).isEqualTo(24L * 1024 * 1024);
    }

    @Test
    void smallestLimitsAreAnEmptyObjectAtDepthOne() throws Exception {
        FramingLimits tiny = new FramingLimits(2, 1);
        assertThat(new FramerHarness(tiny).feed("{} {}").lines()).containsExactly("{}", "{}");
        assertThatThrownBy(() -> new FramerHarness(tiny).feed("{\"a\":1}")).isInstanceOf(FramingException.class)
                .extracting(e -> ((FramingException) e).reason()).isEqualTo(FramingException.Reason.TOO_LARGE);
        assertThatThrownBy(() -> new FramerHarness(new FramingLimits(100, 1)).feed("{\"a\":[]}")).isInstanceOf(FramingException.class)
                .extracting(e -> ((FramingException) e).reason()).isEqualTo(FramingException.Reason.TOO_DEEP);
    }

    @Test
    void rejectsLimitsNoObjectOrNoBufferCouldMeet() {
        assertThatThrownBy(() -> new FramingLimits(1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxObjectBytes");
        assertThatThrownBy(() -> new FramingLimits(FramingLimits.MAX_OBJECT_BYTES_CEILING + 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxObjectBytes");
        assertThatThrownBy(() -> new FramingLimits(2, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDepth");
    }
}
