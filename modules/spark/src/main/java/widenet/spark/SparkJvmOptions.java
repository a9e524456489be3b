package widenet.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Prints the JVM options Spark recommends for its driver and executors; bin/widenet starts the adapter with them.
 * Openings of packages this JDK does not have are left out: Spark 4.2 still opens {@code sun.security.action},
 * which JDK 25 no longer has, and the JVM would warn about it at every start.
 */
public final class SparkJvmOptions {
    private SparkJvmOptions() {}

    public static void main(String[] args) {
        System.out.println(String.join(" ", applicable(JavaModuleOptions.defaultModuleOptions())));
    }

    /** {@code options} (space-separated) without {@code --add-opens}/{@code --add-exports} of packages not in this JDK. */
    static List<String> applicable(String options) {
        List<String> out = new ArrayList<>();
        for (String o : options.trim().split("\\s+")) {
            if (!o.isEmpty() && packageOpened(o).map(SparkJvmOptions::exists).orElse(true)) {
                out.add(o);
            }
        }
        return out;
    }

    /** "module/package" of {@code --add-opens=module/package=target} (or --add-exports), else empty. */
    private static Optional<String> packageOpened(String option) {
        for (String prefix : List.of("--add-opens=", "--add-exports=")) {
            if (option.startsWith(prefix)) {
                String spec = option.substring(prefix.length());
                int eq = spec.indexOf('=');
                return Optional.of(eq < 0 ? spec : spec.substring(0, eq));
            }
        }
        return Optional.empty();
    }

    private static boolean exists(String modulePackage) {
        int slash = modulePackage.indexOf('/');
        if (slash < 0) {
            return true; // not the form we know: keep it, the JVM will judge
        }
        String module = modulePackage.substring(0, slash), pkg = modulePackage.substring(slash + 1);
        return ModuleLayer.boot()
                .findModule(module)
                .map(m -> m.getPackages().contains(pkg))
                .orElse(false);
    }
}
