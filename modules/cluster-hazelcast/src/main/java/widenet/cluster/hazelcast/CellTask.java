package widenet.cluster.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;
import widenet.sweep.Cell;
import widenet.sweep.CellExecutor;
import widenet.sweep.CellResult;
import widenet.sweep.SweepSettings;

/** One sweep cell as a durable-executor task: trained on whichever member owns (or inherits) its partition. */
final class CellTask implements Callable<CellOutcome>, IdentifiedDataSerializable, HazelcastInstanceAware {
    private SweepSettings settings;
    private Cell cell;
    private transient String member = "";

    CellTask() {}

    CellTask(SweepSettings settings, Cell cell) {
        this.settings = settings;
        this.cell = cell;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        member = instance.getName();
    }

    @Override
    public CellOutcome call() {
        MemberCells here = MemberCells.of(member);
        here.started();
        CellResult r;
        try {
            r = CellExecutor.local().run(settings, cell);
        } finally {
            here.stopped();
        }
        here.finished(r);
        return new CellOutcome(r);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        WireFormat.writeSettings(out, settings);
        WireFormat.writeCell(out, cell);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        settings = WireFormat.readSettings(in);
        cell = WireFormat.readCell(in);
    }

    @Override
    public int getFactoryId() {
        return WireFormat.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireFormat.CELL_TASK;
    }

    @Override
    public String toString() {
        return "cell " + (cell == null ? "?" : cell.dirName());
    }
}
