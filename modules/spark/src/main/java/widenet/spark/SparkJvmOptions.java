package widenet.spark;

import org.apache.spark.launcher.JavaModuleOptions;

/** Prints the JVM options Spark recommends for its driver and executors; bin/widenet starts the adapter with them. */
public final class SparkJvmOptions {
    private SparkJvmOptions() {
    }

    public static void main(String[] args) {
        System.out.println(JavaModuleOptions.defaultModuleOptions());
    }
}
