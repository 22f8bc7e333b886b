package dev.tollgate.speckit.internal.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Location;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SourceFileTest {

  @Test
  void maps_offsets_to_lines_and_columns_across_lf_crlf_and_lone_cr() {
    SourceFile f = SourceFile.of("a.md", "ab\r\ncd\ref\ngh");
    assertThat(f.lineCount()).isEqualTo(4);
    assertThat(f.line(2)).isEqualTo("cd");
    assertThat(f.locate(0)).isEqualTo(Location.of("a.md", 1, 1));
    assertThat(f.locate(4)).isEqualTo(Location.of("a.md", 2, 1));
    assertThat(f.locate(8)).isEqualTo(Location.of("a.md", 3, 2));
    assertThat(f.locate(11)).isEqualTo(Location.of("a.md", 4, 2));
  }

  @Test
  void offset_after_a_final_newline_stays_on_the_last_line() {
    SourceFile f = SourceFile.of("a.md", "one\ntwo\n");
    assertThat(f.lineCount()).isEqualTo(2);
    assertThat(f.locate(8)).isEqualTo(Location.of("a.md", 2, 4));
  }

  @Test
  void empty_file_has_one_empty_line() {
    SourceFile f = SourceFile.of("a.md", "");
    assertThat(f.lineCount()).isEqualTo(1);
    assertThat(f.locate(0)).isEqualTo(Location.of("a.md", 1, 1));
  }

  @Property
  void every_offset_maps_inside_the_file(@ForAll String text) {
    SourceFile f = SourceFile.of("a.md", text);
    for (int i = 0; i <= text.length(); i++) {
      Location l = f.locate(i);
      assertThat(l.line()).isBetween(1, f.lineCount());
      assertThat(l.column()).isBetween(1, f.line(l.line()).length() + 1);
    }
  }
}
