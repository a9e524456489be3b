package widenet.cluster.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import widenet.sweep.CellResult;

/** A cell's result on its way back to the submitting member. */
final class CellOutcome implements IdentifiedDataSerializable {
    private CellResult result;

    CellOutcome() {}

    CellOutcome(CellResult result) {
        this.result = result;
    }

    CellResult result() {
        return result;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        WireFormat.writeResult(out, result);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        result = WireFormat.readResult(in);
    }

    @Override
    public int getFactoryId() {
        return WireFormat.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return WireFormat.CELL_OUTCOME;
    }
}
