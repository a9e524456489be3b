package widenet.cluster.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import widenet.model.LossKind;
import widenet.sweep.Cell;
import widenet.sweep.CellResult;
import widenet.sweep.SweepSettings;

/**
 * How cell tasks and their results travel between members: Hazelcast's identified data serialization, so no
 * class is looked up by name or made by reflection (which a module would have to open), and the bytes are a few
 * dozen numbers per cell.
 */
final class WireFormat implements DataSerializableFactory {
    /** This project's factory id (any int unique within the cluster's configuration). */
    static final int FACTORY_ID = 0x57_4E_01;

    static final int CELL_TASK = 1;
    static final int CELL_OUTCOME = 2;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case CELL_TASK -> new CellTask();
            case CELL_OUTCOME -> new CellOutcome();
            default -> throw new IllegalArgumentException("unknown widenet wire type " + typeId);
        };
    }

    static void writeSettings(ObjectDataOutput out, SweepSettings s) throws IOException {
        out.writeInt(s.ns().size());
        for (int n : s.ns()) {
            out.writeInt(n);
        }
        out.writeInt(s.d());
        out.writeDouble(s.dPerN());
        out.writeInt(s.seeds());
        out.writeLong(s.seed());
        out.writeDouble(s.lr());
        out.writeLong(s.steps());
        out.writeDouble(s.target());
        out.writeInt(s.widthMin());
        out.writeInt(s.widthMax());
        out.writeInt(s.perOctave());
        out.writeDouble(s.kappa());
        out.writeString(s.loss().toString());
        out.writeString(s.kernels());
        out.writeInt(s.threadsPerCell());
    }

    static SweepSettings readSettings(ObjectDataInput in) throws IOException {
        int count = in.readInt();
        List<Integer> ns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ns.add(in.readInt());
        }
        return new SweepSettings(
                ns,
                in.readInt(),
                in.readDouble(),
                in.readInt(),
                in.readLong(),
                in.readDouble(),
                in.readLong(),
                in.readDouble(),
                in.readInt(),
                in.readInt(),
                in.readInt(),
                in.readDouble(),
                LossKind.parse(in.readString()),
                in.readString(),
                in.readInt());
    }

    static void writeCell(ObjectDataOutput out, Cell c) throws IOException {
        out.writeInt(c.n());
        out.writeInt(c.width());
        out.writeLong(c.seed());
    }

    static Cell readCell(ObjectDataInput in) throws IOException {
        return new Cell(in.readInt(), in.readInt(), in.readLong());
    }

    static void writeResult(ObjectDataOutput out, CellResult r) throws IOException {
        writeCell(out, r.cell());
        out.writeInt(r.d());
        out.writeDouble(r.lossInitial());
        out.writeDouble(r.lossFinal());
        out.writeLong(r.stepReached());
        out.writeLong(r.stepsRun());
        out.writeString(r.status());
        out.writeDouble(r.seconds());
    }

    static CellResult readResult(ObjectDataInput in) throws IOException {
        return new CellResult(
                readCell(in),
                in.readInt(),
                in.readDouble(),
                in.readDouble(),
                in.readLong(),
                in.readLong(),
                in.readString(),
                in.readDouble());
    }
}
