package io.s3logger.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RotationPolicyTest {

    @Test
    void oldExactlyWhenAgeReachesTheWindow() {
        RotationPolicy policy = new RotationPolicy(Duration.ofMinutes(5), 0);

        assertThat(policy.isOld(Duration.ofMinutes(5).minusNanos(1))).isFalse();
        assertThat(policy.isOld(Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void fullExactlyWhenBytesReachTheLimit() {
        RotationPolicy policy = new RotationPolicy(Duration.ofMinutes(5), 100);

        assertThat(policy.isFull(99)).isFalse();
        assertThat(policy.isFull(100)).isTrue();
        assertThat(policy.remainingBytes(60)).isEqualTo(40);
    }

    @Test
    void zeroBytesDisablesSizeRotation() {
        RotationPolicy policy = new RotationPolicy(Duration.ofMinutes(5), 0);

        assertThat(policy.isFull(Long.MAX_VALUE)).isFalse();
        assertThat(policy.remainingBytes(1L << 40)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsNonPositiveWindowAndNegativeSize() {
        assertThatThrownBy(() -> new RotationPolicy(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RotationPolicy(Duration.ofMinutes(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
