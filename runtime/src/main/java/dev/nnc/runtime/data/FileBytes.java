package dev.nnc.runtime.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.io.UserFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A data file's bytes, decompressed if it is gzip'd. Gzip is recognised by its magic bytes 1f 8b, not by the
 * name, so {@code train.csv} compressed without renaming is still read. The whole file is read at once: the
 * readers then index one array, which is far faster than pulling values through a stream one at a time.
 */
final class FileBytes {
    private FileBytes() {}

    static byte[] read(Path file) throws DataError {
        byte[] raw;
        try {
            raw = UserFiles.read(file);
        } catch (FileProblem e) {
            throw new DataError(e.getMessage());
        }
        return isGzip(raw) ? gunzip(file, raw) : raw;
    }

    static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B;
    }

    private static byte[] gunzip(Path file, byte[] raw) throws DataError {
        // The gzip trailer's last 4 bytes give the decompressed size (mod 2³²) of the last member: for the usual
        // single-member file, the exact size, so the output array is allocated once. It is only a hint: a
        // corrupt or multi-member file may lie, and the array then grows.
        int t = raw.length - 4;
        long hint = t < 2 ? 0 : (raw[t] & 0xFFL) | (raw[t + 1] & 0xFFL) << 8 | (raw[t + 2] & 0xFFL) << 16
                | (raw[t + 3] & 0xFFL) << 24;
        // Deflate cannot expand more than about 1032:1, so a larger hint is certainly wrong.
        int size = hint > 0 && hint <= Math.min(Integer.MAX_VALUE - 16, 1100L * raw.length) ? (int) hint : 1 << 16;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
            byte[] out = new byte[size];
            int n = 0;
            while (true) {
                DataError.stopIfInterrupted(file);
                int got = in.read(out, n, out.length - n);
                if (got < 0) break;
                n += got;
                if (n == out.length) {
                    int next = in.read();
                    if (next < 0) break;
                    if (out.length >= Integer.MAX_VALUE - 16) {
                        throw new DataError(file + ": cannot read: more than 2 GB when decompressed");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, 2L * out.length));
                    out[n++] = (byte) next;
                }
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (EOFException e) {
            throw new DataError(file + ": corrupt gzip data: the compressed stream ends early; expected a complete gzip file");
        } catch (ZipException e) {
            throw new DataError(file + ": corrupt gzip data (" + e.getMessage() + "); expected a complete gzip file");
        } catch (IOException e) {
            throw new DataError(file + ": cannot read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new DataError(file + ": cannot read: too large for memory when decompressed");
        }
    }
}
