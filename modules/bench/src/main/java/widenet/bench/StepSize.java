package widenet.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code size} parameter of a step benchmark, {@code n<samples>_d<input dim>_m<width>}, e.g.
 * {@code n1000_d1000_m4000}.
 */
record StepSize(int n, int d, int m) {
    private static final Pattern SIZE = Pattern.compile("n(\\d+)_d(\\d+)_m(\\d+)");

    /** Parses {@code size}; {@code example} is the size the error message shows. */
    static StepSize parse(String size, String example) {
        Matcher mt = SIZE.matcher(size);
        if (!mt.matches()) {
            throw new IllegalArgumentException(
                    "size '" + size + "' is not of the form n<samples>_d<dim>_m<width>, " + "e.g. " + example);
        }
        return new StepSize(
                Integer.parseInt(mt.group(1)), Integer.parseInt(mt.group(2)), Integer.parseInt(mt.group(3)));
    }
}
