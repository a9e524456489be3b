package widenet.kernel.simd;

/**
 * A piece of work the {@link WorkerPool} runs on every thread at once. Implementations are long-lived objects whose
 * fields hold the current call's arguments, so a dispatch allocates nothing.
 */
interface ParallelTask {
    /**
     * Does share {@code worker} (0 = the calling thread) of {@code workers}. The share must depend only on these two
     * numbers and the task's fields, so that results are deterministic.
     */
    void run(int worker, int workers);
}
