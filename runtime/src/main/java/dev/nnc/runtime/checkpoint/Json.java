package dev.nnc.runtime.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a safetensors header needs, and no more: objects, arrays, strings, integers. Reading yields
 * {@code Map<String,Object>}, {@code List<Object>}, {@code String} and {@code Long} (other numbers as
 * {@code Double}, literals as Boolean or null); a mistake is an {@link IllegalArgumentException} with the
 * character offset. Arrays and objects nest at most {@link #MAX_DEPTH} deep: the reader recurses, and a hostile
 * header of 100,000 {@code [} must be a message, not a StackOverflowError. Kept here because a compiled model may
 * depend on nothing but this module.
 */
public final class Json {
    /** Deeper than any file nnc reads needs (a safetensors header nests 3 deep, a model's layout 5), and far from the stack's limit. */
    public static final int MAX_DEPTH = 64;

    private final String s;
    private int at;
    private int depth;

    private Json(String s) { this.s = s; }

    public static Object parse(String text) {
        var j = new Json(text);
        Object v = j.value();
        j.space();
        if (j.at != text.length()) throw j.error("unexpected text after the JSON value");
        return v;
    }

    public static String quote(String v) {
        var b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private Object value() {
        space();
        if (at >= s.length()) throw error("the JSON ends early");
        char c = s.charAt(at);
        if ((c == '{' || c == '[') && depth == MAX_DEPTH) throw error("arrays and objects nested more than " + MAX_DEPTH + " deep");
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        var m = new LinkedHashMap<String, Object>();
        at++;
        depth++;
        space();
        if (peek('}')) {
            depth--;
            return m;
        }
        while (true) {
            space();
            if (at >= s.length() || s.charAt(at) != '"') throw error("expected a quoted key");
            String k = string();
            space();
            expect(':');
            if (m.containsKey(k)) throw error("the key " + k + " appears twice");
            m.put(k, value());
            space();
            if (peek('}')) {
                depth--;
                return m;
            }
            expect(',');
        }
    }

    private List<Object> array() {
        var l = new ArrayList<Object>();
        at++;
        depth++;
        space();
        if (peek(']')) {
            depth--;
            return l;
        }
        while (true) {
            l.add(value());
            space();
            if (peek(']')) {
                depth--;
                return l;
            }
            expect(',');
        }
    }

    private String string() {
        at++;
        var b = new StringBuilder();
        while (true) {
            if (at >= s.length()) throw error("a string is not closed");
            char c = s.charAt(at++);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= s.length()) throw error("a string is not closed");
            char e = s.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (at + 4 > s.length()) throw error("a \\u escape is cut short");
                    String hex = s.substring(at, at + 4);
                    if (!hex.matches("[0-9a-fA-F]{4}")) throw error("a \\u escape needs four hex digits, not " + hex);
                    b.append((char) Integer.parseInt(hex, 16));
                    at += 4;
                }
                default -> throw error("unknown escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = at;
        while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) at++;
        String t = s.substring(start, at);
        if (t.isEmpty()) throw error("unexpected character '" + s.charAt(start) + "'");
        try {
            Object v = t.matches("-?\\d+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            if (v instanceof Double d && d.isInfinite()) throw error("the number " + t + " is too large");
            return v;
        } catch (NumberFormatException e) {
            throw error("bad number " + t);
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, at)) throw error("unexpected character '" + s.charAt(at) + "'");
        at += word.length();
        return v;
    }

    private boolean peek(char c) {
        if (at < s.length() && s.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        space();
        if (!peek(c)) throw error("expected '" + c + "'");
    }

    private void space() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) at++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("at character " + at + " of the header: " + what);
    }
}
