package dev.tollgate.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {
  @Test
  void gives_the_standard_digest_in_lower_case_hex() {
    // The test vector of FIPS 180-2 for "abc".
    assertThat(Sha256.hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.hex(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void hashes_text_as_utf8_whatever_the_default_charset() {
    assertThat(Sha256.hex("ğüşİ")).isEqualTo(Sha256.hex("ğüşİ".getBytes(StandardCharsets.UTF_8)));
  }
}
