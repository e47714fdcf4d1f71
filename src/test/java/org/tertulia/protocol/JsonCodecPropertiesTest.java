package org.tertulia.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.ForAll.forAll;
import static org.tertulia.support.Generators.anyLong;
import static org.tertulia.support.Generators.commands;
import static org.tertulia.support.Generators.elementOf;
import static org.tertulia.support.Generators.ints;
import static org.tertulia.support.Generators.jsonTokens;
import static org.tertulia.support.Generators.jsonValues;
import static org.tertulia.support.Generators.mutations;
import static org.tertulia.support.Generators.oneOf;
import static org.tertulia.support.Generators.prefixes;
import static org.tertulia.support.Generators.quote;
import static org.tertulia.support.Generators.strings;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tertulia.support.Gen;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The decoder is total: whatever a client sends, as text or as any JSON value, it gets a
 * command or a {@link ProtocolException} with a wire error code, never another exception.
 * Each property runs a fixed number of tries from its own fixed seed (see {@link org.tertulia.support.ForAll}).
 */
class JsonCodecPropertiesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> FIELDS = List.of("type", "text", "name", "target", "id", "date", "history");
    private static final List<String> TYPES = List.of("username", "message", "typing", "id", "userlist", "error",
            "MESSAGE", "", "type");

    /** The types the server acts on, drawn more often so that every branch of the decoder is reached. */
    private static final List<String> ACTED_ON = List.of("username", "message", "typing");

    private static final Gen<String> JSON_VALUES = jsonValues(FIELDS);
    private static final Gen<String> COMMANDS = commands(ACTED_ON, TYPES, FIELDS);

    private final JsonCodec codec = new JsonCodec();

    @Test
    void anyStringDecodesToACommandOrAProtocolError() {
        forAll(2_000, 0xC0DEC_0001L, strings(), this::decodesSafely);
    }

    @Test
    void anyJsonValueDecodesToACommandOrAProtocolError() {
        forAll(2_000, 0xC0DEC_0002L, JSON_VALUES, this::decodesSafely);
    }

    @Test
    void anyFrameShapedLikeACommandDecodesToACommandOrAProtocolError() {
        forAll(2_000, 0xC0DEC_0003L, COMMANDS, this::decodesSafely);
    }

    @Test
    void anyPrefixOfAJsonValueDecodesToACommandOrAProtocolError() {
        forAll(2_000, 0xC0DEC_0004L, prefixes(oneOf(COMMANDS, JSON_VALUES)), this::decodesSafely);
    }

    @Test
    void anyMutationOfACommandDecodesToACommandOrAProtocolError() {
        forAll(2_000, 0xC0DEC_0005L, mutations(COMMANDS, 4), this::decodesSafely);
    }

    @Test
    void anyJsonTokenSoupDecodesToACommandOrAProtocolError() {
        forAll(2_000, 0xC0DEC_0006L, jsonTokens(FIELDS, 30), this::decodesSafely);
    }

    record TextAndTarget(String text, String target, String frame) {
    }

    @Test
    void aMessageCarriesItsTextAndTargetUnchanged() {
        Gen<String> strings = strings();
        Gen<TextAndTarget> messages = r -> {
            String text = strings.next(r);
            String target = strings.next(r);
            // Quoted every valid way: short escapes, \\uXXXX in either case (surrogates too), raw.
            String frame = "{\"type\":\"message\",\"id\":3,\"text\":" + quote(text, r) + ",\"target\":"
                    + quote(target, r) + "}";
            return new TextAndTarget(text, target, frame);
        };
        forAll(2_000, 0xC0DEC_0007L, messages, m -> {
            ClientMessage.Say say = (ClientMessage.Say) codec.decode(m.frame());
            assertThat(say.text()).isEqualTo(m.text());
            assertThat(say.target()).isEqualTo(m.target().isEmpty() ? null : m.target());
        });
    }

    @Test
    void deeplyNestedValuesAreRefusedNotOverflowed() {
        Gen<Integer> depths = oneOf(ints(1, 20_000), elementOf(499, 500, 501, 999, 1_000, 1_001, 2_000));
        forAll(500, 0xC0DEC_0008L, depths, depth -> {
            decodesSafely("[".repeat(depth) + "]".repeat(depth));
            decodesSafely("{\"type\":\"message\",\"text\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            decodesSafely("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
            decodesSafely("{\"type\":\"message\",\"text\":" + "[{\"text\":".repeat(depth) + "\"x\""
                    + "}]".repeat(depth) + "}");
        });
    }

    record Fields(String text, String name, long id) {
    }

    @Test
    void anyServerMessageEncodesToOneJsonObject() {
        Gen<String> strings = strings();
        Gen<Long> ids = anyLong();
        Gen<Fields> fields = r -> new Fields(strings.next(r), strings.next(r), ids.next(r));
        forAll(2_000, 0xC0DEC_0009L, fields, f -> {
            String text = f.text();
            String name = f.name();
            long id = f.id();
            for (ServerMessage message : List.<ServerMessage>of(new ServerMessage.Chat(id, name, text, id, name, true, id),
                    new ServerMessage.Username(id, name, text, id, id), new ServerMessage.Leave(id, name, id, id),
                    new ServerMessage.Session(id, text, true, false), new ServerMessage.RejectUsername(id, name, "taken"),
                    new ServerMessage.UserList(List.of(name, text)), new ServerMessage.Typing(name),
                    new ServerMessage.Error(ErrorCode.BAD_JSON, text), new ServerMessage.Id(id))) {
                JsonNode tree = JSON.readTree(codec.toJson(message));
                assertThat(tree.isObject()).as("%s encodes to an object", message.getClass().getSimpleName()).isTrue();
                assertThat(tree.path("type").isString()).isTrue();
            }
        });
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
}
