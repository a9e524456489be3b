package widenet.train;

/** The loss became NaN or infinite, or the network could not be evaluated: training stops, keeping what it wrote; the CLI exits with code 3. */
public class DivergenceException extends RuntimeException {
    private final long step;
    private final double loss;

    public DivergenceException(long step, double loss, String hint) {
        super("training diverged at step " + step + ": loss is " + loss + (hint.isEmpty() ? "" : "; " + hint));
        this.step = step;
        this.loss = loss;
    }

    /**
     * The network could not evaluate itself at step {@code step} (e.g. an equilibrium network's fixed point did not
     * converge): the loss is undefined, reported as NaN; the message is the cause's.
     */
    public DivergenceException(long step, RuntimeException cause) {
        super("training stopped at step " + step + ": " + cause.getMessage(), cause);
        this.step = step;
        this.loss = Double.NaN;
    }

    public long step() {
        return step;
    }

    public double loss() {
        return loss;
    }
}
