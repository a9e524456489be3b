package widenet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

class SparkJvmOptionsTest {
    @Test
    void openingsOfPackagesThisJdkLacksAreLeftOut() {
        assertEquals(
                List.of(
                        "-Da=b",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "--add-exports=java.base/sun.nio.ch=X",
                        "--enable-native-access=ALL-UNNAMED"),
                SparkJvmOptions.applicable(" -Da=b --add-opens=java.base/java.lang=ALL-UNNAMED "
                        + "--add-opens=java.base/no.such.pkg=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=X "
                        + "--add-opens=no.such.module/x=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"));
    }

    /** On JDK 25 Spark 4.2's own list opens sun.security.action, which is gone; everything else stays. */
    @Test
    void sparksOwnListLosesOnlyWhatTheJdkLacks() {
        List<String> all =
                List.of(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"));
        List<String> kept = SparkJvmOptions.applicable(JavaModuleOptions.defaultModuleOptions());
        assertTrue(kept.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), kept.toString());
        for (String o : all) {
            boolean gone =
                    o.contains("/sun.security.action=") && Runtime.version().feature() >= 25;
            assertEquals(!gone, kept.contains(o), o);
        }
        assertFalse(kept.isEmpty());
    }
}
