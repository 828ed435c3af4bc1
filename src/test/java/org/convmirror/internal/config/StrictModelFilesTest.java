package org.convmirror.internal.config;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.convmirror.internal.testing.Tier;
import org.convmirror.spec.Activation;
import org.convmirror.spec.ModelSpec;
import org.convmirror.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, cases 10 to 12: nothing in a model file is quietly reinterpreted, and a file that is no
 * model file is refused in one line, never read forever.
 */
@Tier.Pure
class StrictModelFilesTest {
  @TempDir Path dir;

  private static final String HEAD = "image: {channels: 1, height: 28, width: 28}\nlatent: 8\n";

  private static String conv(String block) {
    return HEAD + "discriminator:\n  conv:\n    - " + block + "\n";
  }

  private static String message(String text, String source) {
    return assertThrows(SpecException.class, () -> ModelFiles.parse(text, source)).getMessage();
  }

  @Test
  void aKeyGivenTwiceIsNamedByPathNotSilentlyOverwritten() {
    assertEquals(
        "latent: is given twice (line 3, column 7); a key may appear once (the second would"
            + " silently win)",
        message(HEAD + "latent: 9\ndiscriminator: {conv: [{filters: 8, kernel: 4}]}\n", "m.yaml"));
    assertTrue(
        message(conv("{filters: 8, kernel: 4, kernel: 3}"), "m.yaml")
            .startsWith("discriminator.conv[0].kernel: is given twice"));
    String json =
        "{\"image\": {\"channels\": 1, \"height\": 28, \"width\": 28, \"width\": 30}, \"latent\": 8,"
            + " \"discriminator\": {\"conv\": [{\"filters\": 8, \"kernel\": 4}]}}";
    assertTrue(message(json, "m.json").startsWith("image.width: is given twice"));
  }

  @Test
  void jsonTrailingCommasAreRefusedWhereTheyAre() {
    String json =
        "{\"image\": {\"channels\": 1, \"height\": 28, \"width\": 28,}, \"latent\": 8,"
            + " \"discriminator\": {\"conv\": [{\"filters\": 8, \"kernel\": 4}]}}";
    assertEquals(
        "image: trailing comma before '}' (line 1, column 53); JSON allows none: remove it",
        message(json, "m.json"));
    String inList =
        "{\"image\": {\"channels\": 1, \"height\": 28, \"width\": 28}, \"latent\": 8,"
            + " \"discriminator\": {\"conv\": [{\"filters\": 8, \"kernel\": 4},]}}";
    assertTrue(
        message(inList, "m.json").startsWith("discriminator.conv: trailing comma before ']'"));
    // The same text without the comma is a valid model.
    assertEquals(8, ModelFiles.parse(json.replace("28,}", "28}"), "m.json").latent());
  }

  @Test
  void aSecondYamlDocumentIsRefusedNotIgnored() {
    assertEquals(
        "m.yaml: a second YAML document (line 7) would be ignored; a model file holds one model:"
            + " remove the '---' and what follows it",
        message(conv("{filters: 8, kernel: 4}") + "---\nlatent: 3\n", "m.yaml"));
    // A leading document marker is one document.
    assertEquals(8, ModelFiles.parse("---\n" + conv("{filters: 8, kernel: 4}"), "m.yaml").latent());
  }

  @Test
  void aliasesAndAnchorsAreRefusedNotReadAsText() {
    String alias =
        HEAD.replace("latent: 8", "latent: &l 8")
            + "discriminator:\n  conv:\n"
            + "    - {filters: *l, kernel: 4}\n";
    assertEquals(
        "discriminator.conv[0].filters: is a YAML alias (*l, line 5); model files do not support"
            + " anchors and aliases: write the value out",
        message(alias, "m.yaml"));
    String anchor = conv("&block {filters: 8, kernel: 4}");
    assertTrue(
        message(anchor, "m.yaml").startsWith("discriminator.conv[0]: has a YAML anchor (&block"));
  }

  @Test
  void numbersInActivationsKeepTheirSigns() {
    assertEquals(
        "discriminator.conv[0].activation: leaky_relu slope must be in (0, 1), was -0.2",
        message(conv("{filters: 8, kernel: 4, activation: leaky_relu(-0.2)}"), "m.yaml"));
    ModelSpec spec =
        ModelFiles.parse(conv("{filters: 8, kernel: 4, activation: leaky_relu(1e-1)}"), "m.yaml");
    assertEquals(Activation.leakyRelu(0.1), spec.declared().conv().get(0).activation());
    assertEquals(Activation.leakyRelu(0.3), Activation.parse("Leaky-ReLU(0.3)"));
    assertEquals(Activation.leakyRelu(0.25), Activation.parse("leaky_relu(2.5e-1)"));
  }

  @Test
  void integersTooLargeAreNamedByPathAndNeverOverflow() {
    assertEquals(
        "discriminator.conv[0].filters: 2147483647 filters make a 2147483647×14×14 feature map"
            + " of 420906794812 values, more than a tensor here can index (2147483647); use fewer"
            + " filters",
        message(conv("{filters: 2147483647, kernel: 4, stride: 2, padding: 1}"), "m.yaml"));
    assertEquals(
        "discriminator.conv[0].filters: must be an integer from -2147483648 to 2147483647, was"
            + " 99999999999",
        message(conv("{filters: 99999999999, kernel: 4}"), "m.yaml"));
    assertTrue(
        message(
                "image: {channels: 65536, height: 65536, width: 2}\nlatent: 8\n"
                    + "discriminator: {conv: [{filters: 8, kernel: 4}]}\n",
                "m.yaml")
            .startsWith("image: 65536×65536×2 is 8589934592 values, more than a tensor"));
  }

  @Test
  void filesThatAreNoModelFilesAreRefusedInOneLine() throws Exception {
    Path binary =
        Files.write(
            dir.resolve("model.yaml"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
    assertEquals(
        "model file "
            + binary
            + " is not a text file (it holds bytes that are not UTF-8); give a .yaml/.json model"
            + " file",
        assertThrows(SpecException.class, () -> ModelFiles.read(binary)).getMessage());
    assertEquals(
        "model file " + dir + " is a folder, not a file; give a .yaml/.json model file",
        assertThrows(SpecException.class, () -> ModelFiles.read(dir)).getMessage());
    // Write-only for everyone, root included: the kernel refuses reads of this file with EACCES.
    Path unreadable = Path.of("/proc/sys/vm/drop_caches");
    assertEquals(
        "model file "
            + unreadable
            + " cannot be read: permission denied; make it readable (chmod a+r)",
        assertThrows(SpecException.class, () -> ModelFiles.read(unreadable)).getMessage());
  }

  @Test
  @Tier.Process
  void aFifoWithNoWriterIsRefusedWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("model.yaml");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor(), "mkfifo (coreutils) must be installed");
    String m =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(SpecException.class, () -> ModelFiles.read(fifo)).getMessage());
    assertEquals(
        "model file "
            + fifo
            + " is not a regular file (a FIFO, socket or device); give a .yaml/.json model file",
        m);
  }

  /** Issue 21: tabs, deep nesting and a byte-order mark each get their own line and fix. */
  @Test
  void tabsDeepNestingAndAByteOrderMarkAreNamed() {
    String tabbed = HEAD + "discriminator:\n  conv:\n\t- {filters: 8, kernel: 4, stride: 2}\n";
    assertEquals(
        "m.yaml: line 5 is indented with a tab; YAML indents with spaces only: replace the tabs"
            + " with spaces",
        message(tabbed, "m.yaml"));
    String nesting = "nested more than 32 levels deep";
    String fix =
        "; a model file nests at most 4 (discriminator.conv[i].kernel): check the brackets";
    String yaml = message("a: " + "[".repeat(40) + "]".repeat(40) + "\n", "m.yaml");
    assertTrue(yaml.startsWith("m.yaml: " + nesting) && yaml.contains(fix), yaml);
    String deepJson = message("{\"a\": " + "[".repeat(40) + "]".repeat(40) + "}", "m.json");
    assertTrue(deepJson.startsWith("m.json: " + nesting) && deepJson.contains(fix), deepJson);
    String json =
        "{\"image\": {\"channels\": 1, \"height\": 28, \"width\": 28}, \"latent\": 8,"
            + " \"discriminator\": {\"conv\": [{\"filters\": 8, \"kernel\": 4, \"stride\": 2}]}}";
    assertEquals(ModelFiles.parse(json, "m.json"), ModelFiles.parse("\uFEFF" + json, "m.json"));
    assertEquals(ModelFiles.parse(json, "m.json"), ModelFiles.parse("\uFEFF" + json, "m.yaml"));
  }

  /** Issue 21: a link that loops or dangles is not called missing. */
  @Test
  void linksThatLoopOrDangleAreNamedAsSuch() throws IOException {
    Path loop = Files.createSymbolicLink(dir.resolve("loop.yaml"), Path.of("loop.yaml"));
    assertEquals(
        "model file "
            + loop
            + " is a symbolic link that loops back on itself; remove it (rm '"
            + loop
            + "') or point it at a file; give a .yaml/.json model file",
        assertThrows(SpecException.class, () -> ModelFiles.read(loop)).getMessage());
    Path dangling = Files.createSymbolicLink(dir.resolve("gone.yaml"), dir.resolve("nothing.yaml"));
    assertEquals(
        "model file "
            + dangling
            + " is a symbolic link to "
            + dir.resolve("nothing.yaml")
            + ", which does not exist; give a .yaml/.json model file",
        assertThrows(SpecException.class, () -> ModelFiles.read(dangling)).getMessage());
  }

  @Test
  void validFilesStillReadAsBefore() throws IOException {
    Path f = Files.writeString(dir.resolve("ok.yaml"), conv("{filters: 8, kernel: 4, stride: 2}"));
    assertEquals(8, ModelFiles.read(f).declared().conv().get(0).filters());
  }
}
