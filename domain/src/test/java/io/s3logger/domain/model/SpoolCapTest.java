package io.s3logger.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpoolCapTest {

    private static DeliveryBacklog waiting(long bytes) {
        return new DeliveryBacklog(1, bytes, 0, Optional.empty());
    }

    @Test
    void isReachedWhenTheBytesWaitingForDeliveryReachTheLimit() {
        SpoolCap cap = new SpoolCap(1000);

        assertThat(cap.isEnabled()).isTrue();
        assertThat(cap.isReachedBy(waiting(999))).isFalse();
        assertThat(cap.isReachedBy(waiting(1000))).isTrue();
        assertThat(cap.isReachedBy(waiting(5000))).isTrue();
    }

    @Test
    void zeroIsNoCap() {
        assertThat(SpoolCap.NONE.isEnabled()).isFalse();
        assertThat(SpoolCap.NONE.isReachedBy(waiting(Long.MAX_VALUE))).isFalse();
        assertThat(SpoolCap.NONE.isReachedBy(DeliveryBacklog.EMPTY)).isFalse();
    }

    @Test
    void rejectsANegativeLimit() {
        assertThatThrownBy(() -> new SpoolCap(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pendingBytesLimit");
    }
}
