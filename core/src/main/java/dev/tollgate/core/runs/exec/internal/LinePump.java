package dev.tollgate.core.runs.exec.internal;

import dev.tollgate.core.runs.step.StepEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a process's output stream as UTF-8 and emits it line by line, splitting lines longer than
 * {@link #MAX_LINE} characters, never inside a secret so that masking still sees it whole.
 */
final class LinePump implements Runnable {
  /** The longest output event text, in characters (before masking). */
  static final int MAX_LINE = 4096;

  private final InputStream in;
  private final StepEvent.Stream stream;
  private final Emitter emitter;

  LinePump(InputStream in, StepEvent.Stream stream, Emitter emitter) {
    this.in = in;
    this.stream = stream;
    this.emitter = emitter;
  }

  @Override
  public void run() {
    StringBuilder line = new StringBuilder();
    int holdBack = Math.max(0, emitter.secrets().maxLength() - 1);
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      int n;
      while ((n = reader.read(buffer)) >= 0) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n') {
            flush(line);
          } else {
            line.append(c);
            if (line.length() >= MAX_LINE + holdBack) {
              int cut = emitter.secrets().safeCut(line, MAX_LINE);
              // Keep a surrogate pair together.
              if (cut < line.length()
                  && cut > 0
                  && Character.isHighSurrogate(line.charAt(cut - 1))) {
                cut++;
              }
              if (cut >= line.length()) {
                continue;
              }
              emitter.output(stream, line.substring(0, cut));
              line.delete(0, cut);
            }
          }
        }
      }
    } catch (IOException e) {
      // The stream closed under us (the process was killed); what was read is still emitted.
    }
    if (line.length() > 0) {
      flush(line);
    }
  }

  private void flush(StringBuilder line) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    emitter.output(stream, line.substring(0, end));
    line.setLength(0);
  }
}
