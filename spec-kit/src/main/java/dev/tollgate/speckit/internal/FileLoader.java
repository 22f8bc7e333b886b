package dev.tollgate.speckit.internal;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.TollgateException;
import dev.tollgate.speckit.internal.shared.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a kit file as UTF-8 text: strips a byte-order mark, reports binary content and invalid
 * UTF-8 as findings (SK034) instead of failing, and turns I/O failures into a clear bad-input
 * error.
 */
final class FileLoader {
  private FileLoader() {}

  /** Files larger than this are refused with a clear error rather than read into memory. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  /** A loaded file: its text when it is text, and what was wrong with its bytes. */
  record Loaded(Optional<SourceFile> source, List<Diagnostic> findings) {}

  /** Reads {@code file}, whose project-relative path is {@code rel}. */
  static Loaded load(Path file, String rel) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw TollgateException.badInput(
            rel
                + ": file is "
                + (size >> 20)
                + " MB; the validator reads files up to "
                + (MAX_BYTES >> 20)
                + " MB");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      throw new TollgateException(
          TollgateException.Kind.BAD_INPUT, rel + ": cannot read file: " + describe(e), e);
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return new Loaded(
            Optional.empty(),
            List.of(
                Findings.of(
                    "SK034",
                    Location.ofFile(rel),
                    "file is not text: it has a NUL byte at offset "
                        + i
                        + ", so it was not"
                        + " validated",
                    "Kit documents are UTF-8 Markdown; remove the binary file or restore its"
                        + " text.")));
      }
    }
    int start =
        bytes.length >= 3
                && bytes[0] == (byte) 0xEF
                && bytes[1] == (byte) 0xBB
                && bytes[2] == (byte) 0xBF
            ? 3
            : 0;
    String text = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return new Loaded(Optional.of(SourceFile.of(rel, text)), List.of());
    }
    int bad = firstMalformed(bytes, start);
    if (bad < 0) {
      return new Loaded(Optional.of(SourceFile.of(rel, text)), List.of()); // a real U+FFFD
    }
    SourceFile src = SourceFile.of(rel, text);
    int charOffset = new String(bytes, start, bad - start, StandardCharsets.UTF_8).length();
    Diagnostic d =
        Findings.of(
            "SK034",
            Findings.locate(src, Math.min(charOffset, text.length())),
            String.format(
                java.util.Locale.ROOT,
                "file is not valid UTF-8: byte 0x%02X at byte offset %d cannot be decoded",
                bytes[bad] & 0xFF,
                bad),
            "Re-save the file as UTF-8; undecodable bytes were read as U+FFFD.");
    return new Loaded(Optional.of(src), List.of(d));
  }

  private static int firstMalformed(byte[] bytes, int start) {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      if (r.isError()) {
        return in.position();
      }
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      r = dec.flush(out);
      if (r.isOverflow()) {
        out.clear();
        continue;
      }
      return -1;
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
  }
}
