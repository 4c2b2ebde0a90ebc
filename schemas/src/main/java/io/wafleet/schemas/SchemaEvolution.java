package io.wafleet.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The evolution rule of wafleet's schemas: every version is backward and forward compatible with every earlier one,
 * so old readers read new records and new readers read old records, in any order of deployment.
 */
public final class SchemaEvolution {

    private SchemaEvolution() {}

    /** Every way the versions (oldest first) break the rule; empty when they keep it. */
    public static List<String> incompatibilities(String recordName, List<Schema> versions) {
        List<String> problems = new ArrayList<>();
        for (int newer = 1; newer < versions.size(); newer++) {
            for (int older = 0; older < newer; older++) {
                check(problems, recordName, "backward", newer, older, versions.get(newer), versions.get(older));
                check(problems, recordName, "forward", older, newer, versions.get(older), versions.get(newer));
            }
        }
        return problems;
    }

    private static void check(
            List<String> problems,
            String recordName,
            String direction,
            int readerIndex,
            int writerIndex,
            Schema reader,
            Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            problems.add("%s is not %s compatible: v%d cannot read v%d: %s"
                    .formatted(
                            recordName,
                            direction,
                            readerIndex + 1,
                            writerIndex + 1,
                            result.getResult().getIncompatibilities()));
        }
    }
}
