package io.wafleet.router.dashboard;

import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.AccountEvents;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.api.ServersController;
import io.wafleet.router.members.RouterMembers;
import io.wafleet.router.select.ServerView;
import io.wafleet.schemas.DaemonThreads;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.LiveTail;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dashboard's live feed: the fleet table every 2 s, server events and account steps as they come. */
@Configuration(proxyBeanMethods = false)
public class DashboardConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService dashboardTicker() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("dashboard-ticker"));
    }

    @Bean(destroyMethod = "close")
    LiveFeed liveFeed(
            FleetState state,
            AccountRegistry registry,
            AccountEvents accountEvents,
            RouterMembers members,
            ScheduledExecutorService dashboardTicker) {
        LiveFeed feed = new LiveFeed(() -> table(state, registry, members.heldElsewhere()));
        accountEvents.onEvent(feed::accountEvent);
        dashboardTicker.scheduleWithFixedDelay(feed::tick, 2, 2, TimeUnit.SECONDS);
        return feed;
    }

    @Bean
    LiveTail<ServerEvent> serverEventsFeed(Topics topics, KafkaClients kafka, LiveFeed feed) {
        return LiveTail.of("server-events-feed", kafka, "router-events", topics.serverEvents(), feed::serverEvent);
    }

    /** Every server in the health table with its latest 1-minute window and accounts in progress, by name. */
    static Map<String, Object> table(FleetState state, AccountRegistry registry, long heldElsewhere) {
        List<Map<String, Object>> servers = state.fleet().servers().stream()
                .sorted(Comparator.comparing(ServerView::name))
                .filter(view -> state.health(view.id()) != null)
                .map(view -> {
                    ServerHealth health = state.health(view.id());
                    Map<String, Object> row = ServersController.summary(health);
                    row.put("metrics1m", ServersController.metrics(health.getMetrics1m()));
                    row.put("pendingAccounts", registry.pending(view.id()));
                    return row;
                })
                .toList();
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("loaded", state.isCaughtUp());
        // Every account of the fleet: this router's and, when each holds only its own partitions', the others'.
        table.put("accounts", registry.size() + heldElsewhere);
        table.put("servers", servers);
        return table;
    }
}
