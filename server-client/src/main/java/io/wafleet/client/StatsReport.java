package io.wafleet.client;

/**
 * The stats a server reports (the seed's recordServerStats fields). Percentages are 0..100, times in ms.
 *
 * @param cpu CPU use
 * @param memory memory use
 * @param storage storage use
 * @param network network use
 * @param activeInstances instances running
 * @param totalUsers accounts connected
 * @param messagesPerMinute message rate
 * @param errorRate error rate in percent
 * @param averageResponseTime mean response time
 * @param p95ResponseTime 95th percentile response time
 * @param p99ResponseTime 99th percentile response time
 * @param uptime seconds since start
 * @param isHealthy whether the server thinks it is healthy
 */
public record StatsReport(
        Double cpu,
        Double memory,
        Double storage,
        Double network,
        int activeInstances,
        int totalUsers,
        double messagesPerMinute,
        double errorRate,
        Double averageResponseTime,
        Double p95ResponseTime,
        Double p99ResponseTime,
        long uptime,
        boolean isHealthy) {}
