package dev.nnc.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * nnc's cache folder, where it keeps what it can always make again (compiled kernels, the standard library
 * written out for editors), and the content hashes its entries are named by.
 */
public final class Cache {
    private Cache() {}

    /** $NNC_CACHE, else $XDG_CACHE_HOME/nnc, else ~/.cache/nnc; then the sub-folder {@code sub}. */
    public static Path dir(String sub) {
        String nnc = System.getenv("NNC_CACHE");
        if (nnc != null && !nnc.isBlank()) return Path.of(nnc, sub);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "nnc", sub);
        return Path.of(System.getProperty("user.home"), ".cache", "nnc", sub);
    }

    /** The SHA-256 of the bytes, in lower-case hexadecimal. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("internal: no SHA-256", e);
        }
    }

    /** The SHA-256 of the text's UTF-8. */
    public static String sha256(String text) { return sha256(text.getBytes(StandardCharsets.UTF_8)); }
}
