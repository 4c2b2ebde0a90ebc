package io.wafleet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads between two points, summed by thread name with ids and numbers masked
 * ({@code kafka-producer-network-thread | router-vm-0a1b2c3d-tx} and those of the other routers count together): for
 * benchmarks that run the broker, the simulated servers and the service under test in one process, to say which of
 * them the cores went to.
 */
public final class ThreadCpu {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> before = new HashMap<>();

    /** Starts counting now. */
    public static ThreadCpu start() {
        ThreadCpu cpu = new ThreadCpu();
        for (long id : cpu.threads.getAllThreadIds()) {
            cpu.before.put(id, Math.max(0, cpu.threads.getThreadCpuTime(id)));
        }
        return cpu;
    }

    /** CPU milliseconds since {@link #start}, by masked thread name, most first. */
    public Map<String, Long> millisByGroup() {
        Map<String, Long> nanos = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long now = threads.getThreadCpuTime(id);
            if (info == null || now < 0) {
                continue;
            }
            nanos.merge(group(info.getThreadName()), now - before.getOrDefault(id, 0L), Long::sum);
        }
        Map<String, Long> millis = new TreeMap<>((a, b) -> {
            int byTime = Long.compare(nanos.get(b), nanos.get(a));
            return byTime != 0 ? byTime : a.compareTo(b);
        });
        nanos.forEach((group, time) -> millis.put(group, time / 1_000_000));
        return millis;
    }

    static String group(String threadName) {
        return threadName
                .replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "*")
                .replaceAll("-[0-9a-f]{8}\\b", "-*")
                .replaceAll("\\d+", "#");
    }
}
