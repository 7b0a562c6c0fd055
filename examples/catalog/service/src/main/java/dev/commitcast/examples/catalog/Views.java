package dev.commitcast.examples.catalog;

import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** What the catalog service answers: immutable records, cached as JSON. */
public final class Views {

    private Views() {
    }

    /**
     * A product with its prices and images.
     *
     * @param id       the product
     * @param sku      its SKU
     * @param name     its name
     * @param category its category, or null
     * @param prices   its prices, by currency
     * @param images   its image URLs, in insertion order
     */
    @Serdeable
    public record Product(UUID id, String sku, String name, UUID category, List<Price> prices, List<String> images) {
    }

    /**
     * One price.
     *
     * @param product  the product
     * @param currency ISO 4217 code
     * @param amount   the amount
     */
    @Serdeable
    public record Price(UUID product, String currency, BigDecimal amount) {
    }

    /**
     * A product as listed by SKU or in a category.
     *
     * @param id   the product
     * @param sku  its SKU
     * @param name its name
     */
    @Serdeable
    public record ProductRef(UUID id, String sku, String name) {
    }

    /**
     * A category's products.
     *
     * @param id       the category
     * @param name     its name
     * @param products its products, by SKU
     */
    @Serdeable
    public record Category(UUID id, String name, List<ProductRef> products) {
    }
}
