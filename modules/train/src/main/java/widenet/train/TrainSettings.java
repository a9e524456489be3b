package widenet.train;

/**
 * How gradient descent runs: step size η, number of steps, batch size (n for full-batch GD), metrics every
 * {@code every} steps, and the seed of the mini-batch shuffling.
 */
public record TrainSettings(double learningRate, long steps, int batchSize, long every, long shuffleSeed) {
    public TrainSettings {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new InputException("step size η (--lr) must be positive and finite, got " + learningRate);
        }
        if (steps < 0) {
            throw new InputException("--steps must be ≥ 0, got " + steps);
        }
        if (batchSize <= 0) {
            throw new InputException("--batch must be positive, got " + batchSize);
        }
        if (every <= 0) {
            throw new InputException("--every must be positive, got " + every);
        }
    }
}
