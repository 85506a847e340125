package comms.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding shared/peers from a fresh clone in a temporary folder: through the clone's origin. */
class SharedPeersTest {
  @TempDir Path tmp;

  Path cloneWithOrigin(String url) throws Exception {
    Path clone = Files.createDirectories(tmp.resolve("clone/.git"));
    Files.writeString(clone.resolve("config"),
        "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = " + url + "\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n");
    return Files.createDirectories(tmp.resolve("clone/cli"));
  }

  @Test
  void aLocalOriginIsFollowed() throws Exception {
    Path origin = Files.createDirectories(tmp.resolve("work/main"));
    assertEquals(origin, SharedPeers.cloneOrigin(cloneWithOrigin(origin.toString())));
  }

  @Test
  void aFileUrlOriginIsFollowed() throws Exception {
    Path origin = Files.createDirectories(tmp.resolve("work/main"));
    assertEquals(origin, SharedPeers.cloneOrigin(cloneWithOrigin("file://" + origin)));
  }

  @Test
  void aRemoteOrAMissingOriginIsNot() throws Exception {
    assertNull(SharedPeers.cloneOrigin(cloneWithOrigin("https://github.com/example/comms.git")));
    assertNull(SharedPeers.cloneOrigin(cloneWithOrigin(tmp.resolve("gone").toString())));
  }

  @Test
  void theTestsFindThePeersFromHere() {
    assertTrue(Files.isRegularFile(SharedPeers.folder().resolve("mocks")), "the mock-server script is in " + SharedPeers.folder());
  }
}
