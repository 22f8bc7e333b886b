package dev.tollgate.core.runs.exec.internal;

import java.nio.file.Path;

/**
 * A child JVM for {@link RunFoldersTest}: creates the working folder of run 42 in the folder its
 * argument names, prints the folder's path, and holds it until killed.
 */
public final class RunFolderHostMain {
  private RunFolderHostMain() {}

  public static void main(String[] args) throws Exception {
    RunFolders.Folder folder = RunFolders.in(Path.of(args[0])).create(42);
    System.out.println(folder.path());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
