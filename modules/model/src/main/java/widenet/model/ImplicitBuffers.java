package widenet.model;

import java.util.ArrayList;
import java.util.List;
import widenet.kernel.Epilogue;
import widenet.tensor.FloatMatrix;
import widenet.tensor.FloatVec;

/**
 * The per-sample buffers of an {@link ImplicitNetwork}, sized once for {@code capacity} rows: Φ and D_φ, the double
 * buffers of the equilibrium Z and of the masked adjoint P, the mask D, ŷ, r and the input X the stored equilibrium
 * belongs to; and their {@link Batch} views for one batch size b.
 */
final class ImplicitBuffers implements AutoCloseable {
    final FloatMatrix phi; // Φ: capacity×m
    final FloatMatrix phiMask; // D_φ (only with the φ-ReLU)
    final FloatMatrix[] zs; // Z double buffer: capacity×m each
    final FloatMatrix mask; // D = 1{ZÃᵀ + Φ > 0}
    final FloatMatrix[] ps; // P double buffer (P = D ⊙ W, the masked adjoint)
    final FloatMatrix out; // ŷ: capacity×1
    final FloatMatrix residual; // r: capacity×1
    final FloatMatrix lastInput; // X of the stored equilibrium: capacity×d
    private final boolean phiRelu;

    ImplicitBuffers(ImplicitNetwork.Config config) {
        int cap = config.capacity();
        int m = config.width();
        phiRelu = config.phiRelu();
        phi = FloatMatrix.allocate(cap, m);
        phiMask = phiRelu ? FloatMatrix.allocate(cap, m) : null;
        zs = new FloatMatrix[] {FloatMatrix.allocate(cap, m), FloatMatrix.allocate(cap, m)};
        mask = FloatMatrix.allocate(cap, m);
        ps = new FloatMatrix[] {FloatMatrix.allocate(cap, m), FloatMatrix.allocate(cap, m)};
        out = FloatMatrix.allocate(cap, 1);
        residual = FloatMatrix.allocate(cap, 1);
        lastInput = FloatMatrix.allocate(cap, config.inputDim());
    }

    /** The views for a batch of {@code rows} samples (made once per size by the network's {@link BatchViews}). */
    Batch batch(int rows) {
        return new Batch(rows);
    }

    /** Views of the buffers for one batch size, with the epilogues that write into them. */
    final class Batch {
        final int rows;
        final FloatMatrix phi, phiMask, mask, y, r, input;
        final FloatMatrix[] z = new FloatMatrix[2], p = new FloatMatrix[2];
        final FloatVec yVec, rVec;
        final Epilogue phiEpilogue, relu;

        Batch(int rows) {
            this.rows = rows;
            phi = ImplicitBuffers.this.phi.rows(0, rows);
            phiMask = phiRelu ? ImplicitBuffers.this.phiMask.rows(0, rows) : null;
            mask = ImplicitBuffers.this.mask.rows(0, rows);
            for (int i = 0; i < 2; i++) {
                z[i] = zs[i].rows(0, rows);
                p[i] = ps[i].rows(0, rows);
            }
            y = out.rows(0, rows);
            r = residual.rows(0, rows);
            input = lastInput.rows(0, rows);
            yVec = y.asVector();
            rVec = r.asVector();
            phiEpilogue = phiRelu ? Epilogue.relu(phiMask, false) : Epilogue.NONE;
            relu = Epilogue.relu(mask, false); // D = 1{h > 0}
        }
    }

    @Override
    public void close() {
        List<FloatMatrix> all =
                new ArrayList<>(List.of(phi, zs[0], zs[1], mask, ps[0], ps[1], out, residual, lastInput));
        if (phiMask != null) {
            all.add(phiMask);
        }
        for (FloatMatrix x : all) {
            x.close();
        }
    }
}
