package io.wafleet.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every published version of a record's schema, read from {@code avro/history/<Record>/v<N>.avsc} on the classpath.
 * Version files are full standalone schemas; a new version is published by adding the next file, never by editing one.
 */
public final class SchemaHistory {

    /** Classpath folder that holds one sub-folder of versions per record. */
    public static final String ROOT = "avro/history/";

    private SchemaHistory() {}

    /** The published versions of the record, oldest first; empty when none is published. */
    public static List<Schema> versions(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String path = resourcePath(recordName, version);
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read published schema " + path, e);
            }
        }
    }

    /** Where version {@code version} of the record lives, relative to the classpath root. */
    public static String resourcePath(String recordName, int version) {
        return ROOT + recordName + "/v" + version + ".avsc";
    }
}
