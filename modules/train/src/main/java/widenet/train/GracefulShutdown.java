package widenet.train;

/**
 * Turns SIGINT/SIGTERM into a clean stop: a JVM shutdown hook that, instead of letting the JVM exit mid-step, asks
 * the running trainings to stop ({@link #requested()}, polled at step boundaries) and waits until every
 * {@link #protect() protected} section has closed, i.e. the current step is finished, the checkpoint written and
 * the metrics flushed. The JVM then exits with the signal's status (130 for INT, 143 for TERM).
 *
 * <p>One per JVM through {@link #jvm()}; tests make their own with {@link #manual()} and call {@link #request()}.
 * Code that owns the process and runs several trainings (a sweep) checks {@link #requested()} before starting the
 * next one. Never call {@code System.exit} inside a protected section: it would wait for the hook, which waits for
 * the section.
 */
public final class GracefulShutdown {
    private static GracefulShutdown jvm;
    private volatile boolean requested;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int active;
    /** The exit status of work that completed (e.g. a finished run), or null while it has not. */
    private volatile Integer completed;

    private volatile boolean ownsProcess;
    private volatile boolean exiting;

    private GracefulShutdown() {}

    /** The process-wide instance, its shutdown hook installed on first use. */
    public static synchronized GracefulShutdown jvm() {
        if (jvm == null) {
            GracefulShutdown g = new GracefulShutdown();
            Runtime.getRuntime().addShutdownHook(new Thread(g::onShutdown, "widenet-graceful-shutdown"));
            jvm = g;
        }
        return jvm;
    }

    /** An instance with no hook, stopped only by {@link #request()}. */
    public static GracefulShutdown manual() {
        return new GracefulShutdown();
    }

    /** Whether a stop was asked for: finish the current step, checkpoint, return. */
    public boolean requested() {
        return requested;
    }

    public void request() {
        requested = true;
        for (Runnable r : listeners) {
            r.run();
        }
    }

    /**
     * {@code action} runs when a stop is asked for (in the signal's shutdown hook), until the returned registration is
     * closed: for code that waits rather than polls, e.g. a sweep blocked on its cells interrupts itself.
     */
    public Registration onRequest(Runnable action) {
        listeners.add(action);
        if (requested) {
            action.run();
        }
        return () -> listeners.remove(action);
    }

    /** An {@link #onRequest} action's registration; closing it removes the action. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** A section the JVM must not exit in the middle of (a training run with its final writes). */
    public interface Section extends AutoCloseable {
        @Override
        void close();
    }

    public Section protect() {
        synchronized (this) {
            active++;
        }
        return new Section() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (GracefulShutdown.this) {
                    if (!closed) {
                        closed = true;
                        active--;
                        GracefulShutdown.this.notifyAll();
                    }
                }
            }
        };
    }

    /**
     * The process's work is done with exit status {@code status} (e.g. 0: the run finished and said "done:"). A
     * SIGINT/SIGTERM arriving after this (a scheduler's stop as the job ends) then exits with {@code status}, not
     * 130/143: nothing was interrupted, and a finished run must not look killed to a job scheduler.
     */
    public void completed(int status) {
        completed = status;
    }

    /**
     * The caller is the process's main program (the CLI's {@code main}), so a signal after {@link #completed} may end
     * the process with the completed status; code embedded in another program (tests, a server) never halts it.
     */
    public void ownsProcess() {
        ownsProcess = true;
    }

    /** The process is exiting by itself ({@code System.exit}): its own status stands. */
    public void exiting() {
        exiting = true;
    }

    private void onShutdown() {
        request();
        synchronized (this) {
            while (active > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        Integer status = completed;
        if (status != null && ownsProcess && !exiting) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status); // a signal after the work completed: its status, not the signal's
        }
    }
}
