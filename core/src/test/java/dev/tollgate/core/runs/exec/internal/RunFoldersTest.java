package dev.tollgate.core.runs.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFoldersTest {
  @TempDir Path parent;

  @Test
  void a_folder_is_private_to_its_user_locked_while_in_use_and_gone_with_its_lock_when_closed()
      throws Exception {
    RunFolders folders = RunFolders.in(parent);

    RunFolders.Folder folder = folders.create(7);

    assertThat(folder.path()).isDirectory();
    assertThat(folder.path().getFileName().toString()).startsWith("tollgate-run-7-");
    Path lock = lockOf(folder.path());
    assertThat(lock).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.path())))
        .isEqualTo("rwx------");
    Files.writeString(folder.path().resolve("out.txt"), "step output");
    // A sweep in the same JVM leaves a folder in use alone.
    assertThat(folders.sweep()).isEmpty();
    assertThat(folder.path()).isDirectory();

    folder.close();

    assertThat(folder.path()).doesNotExist();
    assertThat(lock).doesNotExist();
    assertThat(entries()).isEmpty();
  }

  @Test
  void the_folder_of_a_process_killed_with_sigkill_is_swept_and_a_live_ones_is_not()
      throws Exception {
    Process live = host();
    Process killed = host();
    try {
      Path liveFolder = Path.of(firstLine(live));
      Path killedFolder = Path.of(firstLine(killed));
      Files.writeString(killedFolder.resolve("left.txt"), "left behind");

      assertThat(RunFolders.in(parent).sweep()).as("both owners alive").isEmpty();
      killed.destroyForcibly();
      assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(killedFolder).as("a killed process cannot clean up").isDirectory();

      List<Path> removed = RunFolders.in(parent).sweep();

      assertThat(removed).containsExactly(killedFolder);
      assertThat(killedFolder).doesNotExist();
      assertThat(lockOf(killedFolder)).doesNotExist();
      assertThat(liveFolder).isDirectory();
      assertThat(lockOf(liveFolder)).isRegularFile();
    } finally {
      live.destroyForcibly();
      killed.destroyForcibly();
    }
  }

  @Test
  void an_unfinished_lock_file_nobody_holds_is_removed_and_a_folder_without_a_lock_is_left_alone()
      throws Exception {
    Path unfinished = Files.createFile(parent.resolve(".tollgate-run-3-abc.lock.new"));
    Path stray = Files.createFile(parent.resolve("tollgate-run-4-def.lock"));
    Path older = Files.createDirectory(parent.resolve("tollgate-run-5-123456789"));

    assertThat(RunFolders.in(parent).sweep()).isEmpty();

    assertThat(unfinished).doesNotExist();
    assertThat(stray).doesNotExist();
    assertThat(older).as("made without a lock, by an older Tollgate or by hand").isDirectory();
  }

  @Test
  void sweep_once_sweeps_a_folder_only_the_first_time_a_jvm_asks() throws Exception {
    Files.createFile(parent.resolve("tollgate-run-6-ghi.lock"));
    Path left = Files.createDirectory(parent.resolve("tollgate-run-6-ghi"));

    assertThat(RunFolders.in(parent).sweepOnce()).containsExactly(left);

    Files.createFile(parent.resolve("tollgate-run-8-jkl.lock"));
    Path later = Files.createDirectory(parent.resolve("tollgate-run-8-jkl"));
    assertThat(RunFolders.in(parent).sweepOnce()).isEmpty();
    assertThat(later).isDirectory();
  }

  private static Path lockOf(Path folder) {
    return folder.resolveSibling(folder.getFileName() + ".lock");
  }

  private List<Path> entries() throws Exception {
    try (Stream<Path> s = Files.list(parent)) {
      return s.toList();
    }
  }

  private Process host() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            RunFolderHostMain.class.getName(),
            parent.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static String firstLine(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the host printed its folder").isNotNull();
    return line;
  }
}
