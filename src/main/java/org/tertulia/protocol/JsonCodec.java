package org.tertulia.protocol;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns wire text into {@link ClientMessage}s and {@link ServerMessage}s into wire text. Thread-safe. */
public final class JsonCodec implements MessageEncoder {

    private final JsonMapper mapper;

    public JsonCodec() {
        this(JsonMapper.builder().build());
    }

    public JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** Decodes one frame; what cannot be decoded comes back as {@link ClientMessage.Malformed}. Never throws. */
    public ClientMessage read(String frame) {
        try {
            return decode(frame);
        } catch (ProtocolException e) {
            return new ClientMessage.Malformed(e.code(), e.getMessage());
        }
    }

    /**
     * Decodes one frame. Every input yields a message or a {@link ProtocolException};
     * nothing else escapes.
     */
    public ClientMessage decode(String frame) throws ProtocolException {
        JsonNode root;
        try {
            root = mapper.readTree(frame);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "the frame is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "the frame must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isString()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, "\"type\" must be a string");
        }
        switch (type.asString()) {
            case "username": {
                String token = optionalString(root, "token", "");
                return new ClientMessage.SignIn(optionalString(root, "name", ""), token.isEmpty() ? null : token,
                        optionalPosition(root, "since"));
            }
            case "message": {
                JsonNode text = root.get("text");
                if (text == null || !text.isString()) {
                    throw new ProtocolException(ErrorCode.BAD_FIELD, "\"text\" must be a string");
                }
                String target = optionalString(root, "target", "");
                return new ClientMessage.Say(text.asString(), target.isEmpty() ? null : target);
            }
            case "typing":
                return new ClientMessage.Typing();
            default:
                return new ClientMessage.Unknown(type.asString());
        }
    }

    private static String optionalString(JsonNode root, String field, String absent) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isString()) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, "\"" + field + "\" must be a string");
        }
        return node.asString();
    }

    private static Long optionalPosition(JsonNode root, String field) throws ProtocolException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new ProtocolException(ErrorCode.BAD_FIELD, "\"" + field + "\" must be a position (a whole number, 0 or more)");
        }
        return node.asLong();
    }

    /** Encodes one frame: the JSON written straight to UTF-8 bytes, then framed once. */
    @Override
    public Frame encode(ServerMessage message) {
        Utf8Out out = new Utf8Out();
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            write(message, g);
            g.writeEndObject();
        }
        return Frame.ofUtf8(out.bytes(), 0, out.size());
    }

    /** The JSON text of one frame. */
    public String toJson(ServerMessage message) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            write(message, g);
            g.writeEndObject();
        }
        return out.toString();
    }

    /** A byte sink whose array the frame copies from without another copy first. */
    private static final class Utf8Out extends ByteArrayOutputStream {

        Utf8Out() {
            super(192);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private static void write(ServerMessage message, JsonGenerator g) {
        if (message instanceof ServerMessage.Chat m) {
            g.writeStringProperty("type", "message");
            g.writeNumberProperty("id", m.id());
            g.writeStringProperty("name", m.name());
            g.writeStringProperty("text", m.text());
            g.writeNumberProperty("date", m.date());
            if (m.target() != null) {
                g.writeStringProperty("target", m.target());
            }
            if (m.history()) {
                g.writeBooleanProperty("history", true);
            }
            g.writeNumberProperty("pos", m.pos());
        } else if (message instanceof ServerMessage.UserList m) {
            g.writeStringProperty("type", "userlist");
            g.writeName("users");
            g.writeStartArray();
            for (String user : m.users()) {
                g.writeString(user);
            }
            g.writeEndArray();
        } else if (message instanceof ServerMessage.Username m) {
            g.writeStringProperty("type", "username");
            g.writeNumberProperty("id", m.id());
            g.writeStringProperty("name", m.name());
            if (m.previous() != null) {
                g.writeStringProperty("previous", m.previous());
            }
            g.writeNumberProperty("date", m.date());
            g.writeNumberProperty("pos", m.pos());
        } else if (message instanceof ServerMessage.Leave m) {
            g.writeStringProperty("type", "leave");
            g.writeNumberProperty("id", m.id());
            g.writeStringProperty("name", m.name());
            g.writeNumberProperty("date", m.date());
            g.writeNumberProperty("pos", m.pos());
        } else if (message instanceof ServerMessage.Session m) {
            g.writeStringProperty("type", "session");
            g.writeNumberProperty("id", m.id());
            g.writeStringProperty("token", m.token());
            g.writeBooleanProperty("resumed", m.resumed());
            g.writeBooleanProperty("missed", m.missed());
        } else if (message instanceof ServerMessage.Id m) {
            g.writeStringProperty("type", "id");
            g.writeNumberProperty("id", m.id());
        } else if (message instanceof ServerMessage.RejectUsername m) {
            g.writeStringProperty("type", "rejectusername");
            g.writeNumberProperty("id", m.id());
            g.writeStringProperty("name", m.name());
            g.writeStringProperty("reason", m.reason());
        } else if (message instanceof ServerMessage.Typing m) {
            g.writeStringProperty("type", "typing");
            g.writeStringProperty("name", m.name());
        } else if (message instanceof ServerMessage.Error m) {
            g.writeStringProperty("type", "error");
            g.writeStringProperty("code", m.code().wire());
            g.writeStringProperty("text", m.text());
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
    }
}
