package widenet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import widenet.train.GracefulShutdown;
import widenet.train.InputException;

/** {@code widenet serve}: a read-only live dashboard of the runs, reproductions and sweeps under a folder. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Serve a live dashboard of the runs under a folder.",
        description = {
            "An index of the runs, reproductions and sweeps under DIR with their status, and each folder's report page (the charts of 'widenet report'), updated every second while it trains.",
            "Read-only; nothing outside DIR is served. Stops on Ctrl-C."
        })
final class ServeCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            description = "The folder to serve (default: ${DEFAULT-VALUE}).",
            defaultValue = "runs")
    Path dir;

    @Option(
            names = "--port",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).",
            defaultValue = "8080")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description = "Address to listen on; 0.0.0.0 opens it to the network "
                    + "(default: ${DEFAULT-VALUE}, this machine only).",
            defaultValue = "127.0.0.1")
    String bind;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a folder (train something first, or name the folder to serve)");
        }
        if (port < 0 || port > 65535) {
            throw new InputException("--port must be in 0…65535, got " + port);
        }
        Dashboard d;
        try {
            d = Dashboard.start(dir, bind, port);
        } catch (java.net.BindException e) {
            throw new InputException("--bind " + bind + " --port " + port + ": cannot listen there (" + e.getMessage()
                    + "); is another server on that port? try --port 0");
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            throw new InputException("--bind " + bind + ": not an address of this machine (" + e.getMessage() + ")");
        }
        try (d) {
            System.out.println("widenet " + Main.version() + " · serving "
                    + dir.toAbsolutePath().normalize() + " at " + d.url() + " (read-only; Ctrl-C stops)");
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            try (GracefulShutdown.Registration r = GracefulShutdown.jvm().onRequest(stop::countDown)) {
                stop.await();
            }
        }
        return 0;
    }
}
