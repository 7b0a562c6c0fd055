package dev.commitcast.micronaut;

import io.micronaut.cache.annotation.Cacheable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bean of an application that reads through Commitcast with annotations only (the catalog example's kinds): a
 * stand-in database of prices and SKUs that counts its reads.
 */
@Singleton
public class CatalogReads {

    /** A price as the application returns it. */
    @Serdeable
    public record Price(String amount, String currency) {
    }

    /** The stand-in database: prices and products by SKU, counting its reads. */
    static final class Database {
        final Map<String, Price> prices = new ConcurrentHashMap<>();
        final Map<String, String> products = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        Price price(UUID product, String currency) {
            reads.incrementAndGet();
            return prices.get(product + "/" + currency);
        }
    }

    final Database db = new Database();

    /** Kind {@code price}, key parts {@code product} and {@code currency}, bound by name. */
    // quick-start:begin
    @CommitcastCacheable("price") // the rule kind; its key parts are this method's parameters, by name
    public Price price(UUID product, String currency) {
        return db.price(product, currency); // your query; null = no such price (cached as such)
    }
    // quick-start:end

    /** What {@link #product} returns next, and a hook to hold it after the read (for the race test). */
    final Map<UUID, String> productNames = new ConcurrentHashMap<>();
    volatile Runnable afterProductRead = () -> { };

    /** Kind {@code product}: reads the name, then runs the hook (a test holds the read there). */
    @CommitcastCacheable("product")
    public String product(UUID id) {
        String name = productNames.get(id);
        afterProductRead.run();
        return name;
    }

    /** Kind {@code product_by_sku}, one part: plain {@code @Cacheable} with one parameter works too. */
    @Cacheable(value = "product_by_sku", atomic = true)
    public String productBySku(String sku) {
        db.reads.incrementAndGet();
        return db.products.get(sku);
    }
}
