package org.tertulia.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class JsonCodecTest {

    private final JsonCodec codec = new JsonCodec();

    @Test
    void decodesTheMdnClientsFrames() throws Exception {
        assertThat(codec.decode("{\"type\":\"username\",\"id\":3,\"name\":\"alice\",\"date\":1}"))
                .isEqualTo(new ClientMessage.SignIn("alice"));
        assertThat(codec.decode("{\"type\":\"message\",\"id\":3,\"text\":\"hi\",\"date\":1}"))
                .isEqualTo(new ClientMessage.Say("hi", null));
    }

    @Test
    void decodesExtensions() throws Exception {
        assertThat(codec.decode("{\"type\":\"message\",\"text\":\"psst\",\"target\":\"bob\"}"))
                .isEqualTo(new ClientMessage.Say("psst", "bob"));
        assertThat(codec.decode("{\"type\":\"typing\",\"id\":1}")).isEqualTo(new ClientMessage.Typing());
        assertThat(codec.decode("{\"type\":\"future-thing\"}")).isEqualTo(new ClientMessage.Unknown("future-thing"));
    }

    @Test
    void aClientComingBackSendsItsTokenAndTheLastPositionItSaw() throws Exception {
        assertThat(codec.decode("{\"type\":\"username\",\"name\":\"ana\",\"token\":\"t0k\",\"since\":1700000000000123}"))
                .isEqualTo(new ClientMessage.SignIn("ana", "t0k", 1_700_000_000_000_123L));
        assertThat(codec.decode("{\"type\":\"username\",\"name\":\"ana\",\"token\":\"\",\"since\":null}"))
                .isEqualTo(new ClientMessage.SignIn("ana"));
    }

    @Test
    void aSignInNeverShowsItsToken() throws Exception {
        assertThat(codec.decode("{\"type\":\"username\",\"name\":\"ana\",\"token\":\"s3cr3t-t0k3n\"}").toString())
                .doesNotContain("s3cr3t-t0k3n");
        assertThat(new ServerMessage.Session(1, "s3cr3t-t0k3n", false, false).toString()).doesNotContain("s3cr3t-t0k3n");
    }

    @Test
    void missingNameMeansEmpty() throws Exception {
        assertThat(codec.decode("{\"type\":\"username\"}")).isEqualTo(new ClientMessage.SignIn(""));
    }

    @Test
    void malformedJsonIsBadJson() {
        for (String bad : List.of("", "{", "not json", "{\"type\":\"message\",}", "\"just a string\"", "[1,2]", "42", "null")) {
            assertThatThrownBy(() -> codec.decode(bad)).as(bad)
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_JSON));
        }
    }

    @Test
    void wrongFieldTypesAreBadField() {
        for (String bad : List.of("{}", "{\"type\":5}", "{\"type\":\"message\"}", "{\"type\":\"message\",\"text\":[]}",
                "{\"type\":\"username\",\"name\":{}}", "{\"type\":\"message\",\"text\":\"x\",\"target\":1}",
                "{\"type\":\"username\",\"name\":\"a\",\"token\":7}", "{\"type\":\"username\",\"name\":\"a\",\"since\":-1}",
                "{\"type\":\"username\",\"name\":\"a\",\"since\":1.5}", "{\"type\":\"username\",\"name\":\"a\",\"since\":\"5\"}",
                "{\"type\":\"username\",\"name\":\"a\",\"since\":1e30}")) {
            assertThatThrownBy(() -> codec.decode(bad)).as(bad)
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_FIELD));
        }
    }

    @Test
    void encodesEveryServerFrame() {
        assertThat(codec.toJson(new ServerMessage.Id(7))).isEqualTo("{\"type\":\"id\",\"id\":7}");
        assertThat(codec.toJson(new ServerMessage.RejectUsername(7, "alice2", "taken")))
                .isEqualTo("{\"type\":\"rejectusername\",\"id\":7,\"name\":\"alice2\",\"reason\":\"taken\"}");
        assertThat(codec.toJson(new ServerMessage.UserList(List.of("a", "b"))))
                .isEqualTo("{\"type\":\"userlist\",\"users\":[\"a\",\"b\"]}");
        assertThat(codec.toJson(new ServerMessage.Username(7, "a", null, 5, 90)))
                .isEqualTo("{\"type\":\"username\",\"id\":7,\"name\":\"a\",\"date\":5,\"pos\":90}");
        assertThat(codec.toJson(new ServerMessage.Username(7, "b", "a", 5, 91)))
                .isEqualTo("{\"type\":\"username\",\"id\":7,\"name\":\"b\",\"previous\":\"a\",\"date\":5,\"pos\":91}");
        assertThat(codec.toJson(new ServerMessage.Leave(7, "b", 6, 92)))
                .isEqualTo("{\"type\":\"leave\",\"id\":7,\"name\":\"b\",\"date\":6,\"pos\":92}");
        assertThat(codec.toJson(new ServerMessage.Chat(7, "a", "hi \"you\"", 5, null, false, 93)))
                .isEqualTo("{\"type\":\"message\",\"id\":7,\"name\":\"a\",\"text\":\"hi \\\"you\\\"\",\"date\":5,\"pos\":93}");
        assertThat(codec.toJson(new ServerMessage.Chat(7, "a", "hi", 5, "b", true, 94)))
                .isEqualTo("{\"type\":\"message\",\"id\":7,\"name\":\"a\",\"text\":\"hi\",\"date\":5,\"target\":\"b\",\"history\":true,\"pos\":94}");
        assertThat(codec.toJson(new ServerMessage.Session(7, "tok", true, false)))
                .isEqualTo("{\"type\":\"session\",\"id\":7,\"token\":\"tok\",\"resumed\":true,\"missed\":false}");
        assertThat(codec.toJson(new ServerMessage.Typing("a"))).isEqualTo("{\"type\":\"typing\",\"name\":\"a\"}");
        assertThat(codec.toJson(new ServerMessage.Error(ErrorCode.TEXT_TOO_LONG, "too long")))
                .isEqualTo("{\"type\":\"error\",\"code\":\"text-too-long\",\"text\":\"too long\"}");
    }
}
