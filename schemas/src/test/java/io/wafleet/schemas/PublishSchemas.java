package io.wafleet.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;

/**
 * Publishes the current schema of every topic record as its next version under {@code src/main/resources/avro/history}
 * when it differs from the newest published one. Run it after changing an {@code .avsc}; the compatibility test then
 * checks the new version against every earlier one.
 */
public final class PublishSchemas {

    private PublishSchemas() {}

    public static void main(String[] args) throws IOException {
        Path resources = Path.of(args.length > 0 ? args[0] : "schemas/src/main/resources");
        for (Class<?> type : RecordTypes.TOPIC_VALUES) {
            Schema current = SpecificData.get().getSchema(type);
            List<Schema> published = SchemaHistory.versions(type.getSimpleName());
            if (!published.isEmpty() && sameSchema(published.get(published.size() - 1), current)) {
                continue;
            }
            Path file = resources.resolve(SchemaHistory.resourcePath(type.getSimpleName(), published.size() + 1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
            System.out.println("published " + file);
        }
    }

    static boolean sameSchema(Schema a, Schema b) {
        // Docs and defaults are not in the fingerprint; only a change that readers must resolve is a new version.
        return SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b);
    }
}
