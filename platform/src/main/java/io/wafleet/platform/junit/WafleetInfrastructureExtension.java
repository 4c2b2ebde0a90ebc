package io.wafleet.platform.junit;

import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests the shared {@link KafkaCluster} and {@link PostgresDatabase}. They live in the root context's store, so
 * every test class of the JVM shares one broker and one database, closed when the JVM's tests are done.
 */
public final class WafleetInfrastructureExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(WafleetInfrastructureExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaCluster.class || type == PostgresDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        Class<?> type = parameter.getParameter().getType();
        Function<Class<?>, SharedServer<?>> start = type == KafkaCluster.class
                ? key -> SharedServer.kafka(TestEnvironment.fromSystem())
                : key -> SharedServer.postgres(TestEnvironment.fromSystem());
        return store.computeIfAbsent(type, start, SharedServer.class).endpoint();
    }
}
