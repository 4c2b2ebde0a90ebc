package io.wafleet.schemas;

import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.LbRule;
import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageProgress;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.avro.RouterMember;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerNotice;
import io.wafleet.avro.ServerStats;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The record classes that are the values of wafleet's topics: each has a published schema history. */
public final class RecordTypes {

    /** One per row of the topic table, in its order. */
    public static final List<Class<? extends SpecificRecord>> TOPIC_VALUES = List.of(
            ServerConfig.class,
            LbRule.class,
            HealthCheck.class,
            ServerStats.class,
            ServerMetrics.class,
            ServerHealth.class,
            ServerEvent.class,
            ConnectionRequest.class,
            ConnectionEvent.class,
            AccountStateRecord.class,
            RouterMember.class,
            ServerNotice.class,
            OutboundMessage.class,
            MessageEvent.class,
            MessageProgress.class);

    private RecordTypes() {}
}
