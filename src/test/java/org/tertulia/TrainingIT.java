package org.tertulia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.tertulia.Training.Plan;
import org.tertulia.Training.Result;

/**
 * The training run behind the image's AOT cache, in small: it starts a real node, and its
 * clients go through every step over the wire; a step that does not complete fails the run
 * instead of leaving a cache of half a run.
 */
class TrainingIT {

    @Test
    void everyRoundConnectsSignsInHearsEveryLineAndCloses() throws Exception {
        Result result = Training.run(new Plan(2, 60, 5, 4, Duration.ofSeconds(60)));

        assertThat(result.rounds()).isEqualTo(2);
        assertThat(result.connections()).isEqualTo(120);
        assertThat(result.signIns()).isEqualTo(120);
        assertThat(result.messagesSent()).isEqualTo(2 * 5 * 4);
        // Every client of a round hears each of that round's lines once (history aside).
        assertThat(result.messagesReceived()).isEqualTo(2L * 60 * 5 * 4);
        assertThat(result.pages()).isEqualTo(2 * 8);
    }

    @Test
    void aRoundThatCannotCompleteFailsTheRun() {
        // A node that holds 10 connections cannot seat a crowd of 20: the run must fail, soon.
        assertThatThrownBy(() -> Training.run(new Plan(1, 20, 2, 2, Duration.ofSeconds(5)),
                "--tertulia.web.max-connections=10"))
                .isInstanceOf(Exception.class);
    }

    @Test
    void aStepThatTimesOutNamesUpToFiveClientsBehindAndWhereEachStands() {
        // One frame per connection: every sign-in passes, every line after it is refused, so
        // no client hears the round's lines and the step that waits for them times out.
        assertThatThrownBy(() -> Training.run(new Plan(1, 8, 2, 2, Duration.ofSeconds(2)),
                "--tertulia.room.rate.frame-burst=1", "--tertulia.room.rate.frames-per-second=0.001"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("messages not done within 2000 ms, 8 of 8 clients behind: client 0 (id ")
                .hasMessageContaining("heard 0 lines of 4")
                .hasMessageContaining("sends done")
                .hasMessageContaining("; client 4 (")
                .hasMessageNotContaining("client 5 (");
    }
}
