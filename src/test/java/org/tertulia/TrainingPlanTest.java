package org.tertulia;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tertulia.Training.Plan;

/** A training plan that its run could not complete is refused when it is made. */
class TrainingPlanTest {

    @ParameterizedTest
    @CsvSource({
        "0, 10, 2, 4, 60",   // no round
        "1, 1, 0, 4, 60",    // nobody to send the direct message to
        "1, 10, 10, 4, 60",  // the last client would be a sender too
        "1, 10, -1, 4, 60",
        "1, 10, 2, 19, 60",  // one message past a sender's burst
        "1, 10, 2, -1, 60",
        "1, 10, 2, 4, 0" })  // no time for a step
    void aPlanOutsideItsBoundsIsRefused(int rounds, int clients, int senders, int messages, long stepSeconds) {
        assertThatThrownBy(() -> new Plan(rounds, clients, senders, messages, Duration.ofSeconds(stepSeconds)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such training");
    }

    @ParameterizedTest
    @CsvSource({ "1, 2, 1, 18, 1", "3, 1000, 20, 10, 90" })
    void aPlanAtItsBoundsAndTheImagesAreAccepted(int rounds, int clients, int senders, int messages, long stepSeconds) {
        assertThatCode(() -> new Plan(rounds, clients, senders, messages, Duration.ofSeconds(stepSeconds)))
                .doesNotThrowAnyException();
    }
}
