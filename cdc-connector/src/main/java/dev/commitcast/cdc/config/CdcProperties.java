package dev.commitcast.cdc.config;

import dev.commitcast.cdc.CdcSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code commitcast.cdc.*} from {@code application.yml} (which maps the {@code COMMITCAST_*} environment variables).
 * Validated when bound: the constructor builds {@link CdcSettings}, whose checks name the key, the bad value and the
 * environment variable to set, so the application refuses to start with one readable line.
 */
@ConfigurationProperties("commitcast.cdc")
public record CdcProperties(
        @Nullable String jdbcUrl,
        @Nullable String user,
        @Nullable String password,
        @Nullable String kafkaBootstrap,
        @Bindable(defaultValue = CdcSettings.DEFAULT_TOPIC_PREFIX) String topicPrefix,
        @Bindable(defaultValue = "3") int partitions,
        @Bindable(defaultValue = "-1") short replicationFactor,
        @Bindable(defaultValue = CdcSettings.DEFAULT_SLOT_NAME) String slotName,
        @Bindable(defaultValue = CdcSettings.DEFAULT_PUBLICATION) String publication,
        @Bindable(defaultValue = ".commitcast/cdc") String dataDir,
        @Bindable(defaultValue = "file") String offsetStore,
        @Bindable(defaultValue = "5ms") Duration pollInterval,
        @Bindable(defaultValue = "1s") Duration heartbeatInterval,
        @Bindable(defaultValue = "1s") Duration offsetFlushInterval,
        @Bindable(defaultValue = "60s") Duration startupTimeout,
        @Bindable(defaultValue = "30s") Duration deliveryTimeout,
        @Bindable(defaultValue = "2ms") Duration linger,
        @Bindable(defaultValue = "5s") Duration slotPollInterval,
        @Bindable(defaultValue = "5") int engineMaxRetries,
        @Nullable String rules,
        @Bindable(defaultValue = "resync") String onContinuityLoss,
        @Bindable(defaultValue = "rules") String publishColumns) {

    /** @throws IllegalArgumentException naming the key and value of the first invalid setting */
    public CdcProperties {
        toSettings(jdbcUrl, user, password, kafkaBootstrap, topicPrefix, partitions, replicationFactor, slotName,
                publication, dataDir, offsetStore, pollInterval, heartbeatInterval, offsetFlushInterval,
                startupTimeout, deliveryTimeout, linger, slotPollInterval, engineMaxRetries, rules, onContinuityLoss,
                publishColumns);
    }

    /** The validated settings. */
    public CdcSettings toSettings() {
        return toSettings(jdbcUrl, user, password, kafkaBootstrap, topicPrefix, partitions, replicationFactor,
                slotName, publication, dataDir, offsetStore, pollInterval, heartbeatInterval, offsetFlushInterval,
                startupTimeout, deliveryTimeout, linger, slotPollInterval, engineMaxRetries, rules, onContinuityLoss,
                publishColumns);
    }

    private static CdcSettings toSettings(String jdbcUrl, String user, String password, String kafkaBootstrap,
                                          String topicPrefix, int partitions, short replicationFactor,
                                          String slotName, String publication, String dataDir, String offsetStore,
                                          Duration pollInterval, Duration heartbeatInterval,
                                          Duration offsetFlushInterval, Duration startupTimeout,
                                          Duration deliveryTimeout, Duration linger, Duration slotPollInterval,
                                          int engineMaxRetries, String rules, String onContinuityLoss,
                                          String publishColumns) {
        return CdcSettings.builder().jdbcUrl(jdbcUrl).user(user).password(password).kafkaBootstrap(kafkaBootstrap)
                .topicPrefix(topicPrefix).partitions(partitions).replicationFactor(replicationFactor)
                .slotName(slotName).publication(publication).dataDir(Path.of(dataDir))
                .offsetStore(CdcSettings.offsetStore(offsetStore)).pollInterval(pollInterval)
                .heartbeatInterval(heartbeatInterval).offsetFlushInterval(offsetFlushInterval)
                .startupTimeout(startupTimeout).deliveryTimeout(deliveryTimeout).linger(linger)
                .slotPollInterval(slotPollInterval).engineMaxRetries(engineMaxRetries)
                .rules(rules == null || rules.isBlank() ? null : Path.of(rules))
                .onContinuityLoss(CdcSettings.onContinuityLoss(onContinuityLoss))
                .publishColumns(CdcSettings.publishColumns(publishColumns)).build();
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "CdcProperties[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=****, kafkaBootstrap="
                + kafkaBootstrap + ", topicPrefix=" + topicPrefix + ", slotName=" + slotName + ", ...]";
    }
}
