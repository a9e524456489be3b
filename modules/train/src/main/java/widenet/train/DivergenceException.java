package widenet.train;

/** The loss became NaN or infinite: training stops, keeping what it wrote; the CLI exits with code 3. */
public class DivergenceException extends RuntimeException {
    private final long step;
    private final double loss;

    public DivergenceException(long step, double loss, String hint) {
        super("training diverged at step " + step + ": loss is " + loss + (hint.isEmpty() ? "" : "; " + hint));
        this.step = step;
        this.loss = loss;
    }

    public long step() { return step; }
    public double loss() { return loss; }
}
