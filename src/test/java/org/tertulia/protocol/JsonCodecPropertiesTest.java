package org.tertulia.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import tools.jackson.databind.json.JsonMapper;

/**
 * The decoder is total: whatever a client sends, as text or as any JSON value, it gets a
 * command or a {@link ProtocolException} with a wire error code, never another exception.
 */
class JsonCodecPropertiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> FIELDS = List.of("type", "text", "name", "target", "id", "date", "history");
    private static final List<String> TYPES = List.of("username", "message", "typing", "id", "userlist", "error",
            "MESSAGE", "", "type");

    private final JsonCodec codec = new JsonCodec();

    @Property(tries = 2_000)
    void anyStringDecodesToACommandOrAProtocolError(@ForAll String frame) {
        decodesSafely(frame);
    }

    @Property(tries = 2_000)
    void anyJsonValueDecodesToACommandOrAProtocolError(@ForAll("jsonValues") String json) {
        decodesSafely(json);
    }

    @Property(tries = 2_000)
    void anyFrameShapedLikeACommandDecodesToACommandOrAProtocolError(@ForAll("commandLike") String json) {
        decodesSafely(json);
    }

    @Property(tries = 1_000)
    void anyPrefixOfAJsonValueDecodesToACommandOrAProtocolError(@ForAll("commandLike") String json,
            @ForAll @IntRange(min = 0, max = 100) int percent) {
        decodesSafely(json.substring(0, json.length() * percent / 100));
    }

    @Property(tries = 1_000)
    void aMessageCarriesItsTextAndTargetUnchanged(@ForAll String text, @ForAll String target) throws Exception {
        String frame = "{\"type\":\"message\",\"id\":3,\"text\":" + JSON.writeValueAsString(text) + ",\"target\":"
                + JSON.writeValueAsString(target) + "}";
        ClientMessage.Say say = (ClientMessage.Say) codec.decode(frame);
        assertThat(say.text()).isEqualTo(text);
        assertThat(say.target()).isEqualTo(target.isEmpty() ? null : target);
    }

    @Property(tries = 500)
    void deeplyNestedValuesAreRefusedNotOverflowed(@ForAll @IntRange(min = 1, max = 20_000) int depth) {
        decodesSafely("[".repeat(depth) + "]".repeat(depth));
        decodesSafely("{\"type\":\"message\",\"text\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        decodesSafely("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    @Property(tries = 1_000)
    void anyServerMessageEncodesToOneJsonObject(@ForAll String text, @ForAll String name, @ForAll long id) {
        for (ServerMessage message : List.<ServerMessage>of(new ServerMessage.Chat(id, name, text, id, name, true),
                new ServerMessage.Username(id, name, id), new ServerMessage.RejectUsername(id, name),
                new ServerMessage.UserList(List.of(name, text)), new ServerMessage.Typing(name),
                new ServerMessage.Error(ErrorCode.BAD_JSON, text), new ServerMessage.Id(id))) {
            assertThat(JSON.readTree(codec.encode(message)).isObject()).isTrue();
        }
    }

    private void decodesSafely(String frame) {
        try {
            ClientMessage message = codec.decode(frame);
            assertThat(message).isNotNull();
            if (message instanceof ClientMessage.Say say) {
                assertThat(say.text()).isNotNull();
                if (say.target() != null) {
                    assertThat(say.target()).isNotEmpty();
                }
            } else if (message instanceof ClientMessage.SignIn signIn) {
                assertThat(signIn.name()).isNotNull();
            } else if (message instanceof ClientMessage.Unknown unknown) {
                assertThat(unknown.type()).isNotNull();
            }
        } catch (ProtocolException e) {
            assertThat(e.code()).isIn(ErrorCode.BAD_JSON, ErrorCode.BAD_FIELD);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return Arbitraries.recursive(JsonCodecPropertiesTest::scalar, JsonCodecPropertiesTest::composite, 4);
    }

    @Provide
    Arbitrary<String> commandLike() {
        Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.of(TYPES).map(JsonCodecPropertiesTest::quote),
                jsonValues());
        Arbitrary<String> fields = Combinators.combine(Arbitraries.of(FIELDS), jsonValues())
                .as((name, value) -> quote(name) + ":" + value)
                .list().ofMaxSize(5)
                .map(list -> String.join(",", list));
        return Combinators.combine(type, fields).as((t, f) -> "{\"type\":" + t + (f.isEmpty() ? "" : "," + f) + "}");
    }

    private static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1e400", "-1e-400", "123456789012345678901234567890",
                        "1.5", "NaN", "\"\"", "Infinity"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(40).map(JsonCodecPropertiesTest::quote));
    }

    private static Arbitrary<String> composite(Arbitrary<String> inner) {
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(10));
        Arbitrary<String> object = Combinators.combine(key, inner).as((k, v) -> quote(k) + ":" + v)
                .list().ofMaxSize(4).map(list -> "{" + String.join(",", list) + "}");
        return Arbitraries.oneOf(inner, array, object);
    }

    private static String quote(String s) {
        return JSON.writeValueAsString(s);
    }
}
