package dev.commitcast.examples.catalog;

import dev.commitcast.examples.catalog.Views.Category;
import dev.commitcast.examples.catalog.Views.Price;
import dev.commitcast.examples.catalog.Views.Product;
import dev.commitcast.examples.catalog.Views.ProductRef;
import dev.commitcast.micronaut.CommitcastCacheable;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every read of the catalog service: plain JDBC, each method cached through Commitcast by its annotation alone — the
 * kind names a kind of {@code examples/catalog/rules.yml}, the parameters are its key parts. No cache code: the
 * pipeline invalidates what a committed change makes stale, whoever committed it. {@code null} is "not found".
 */
@Singleton
public class CatalogReads {

    private final DataSource database;

    CatalogReads(DataSource database) {
        this.database = database;
    }

    /** A product with its prices and images (kind {@code product}). */
    @CommitcastCacheable("product")
    public Product product(UUID id) throws SQLException {
        try (Connection c = database.getConnection()) {
            c.setReadOnly(true);
            Product product = null;
            try (PreparedStatement s = c.prepareStatement(
                    "select sku, name, category_id from catalog.products where id = ?")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    product = new Product(id, r.getString(1), r.getString(2), r.getObject(3, UUID.class),
                            prices(c, id), images(c, id));
                }
            }
            return product;
        }
    }

    /** A product by its SKU (kind {@code product_by_sku}). */
    @CommitcastCacheable("product_by_sku")
    public ProductRef productBySku(String sku) throws SQLException {
        try (Connection c = database.getConnection();
             PreparedStatement s = c.prepareStatement("select id, name from catalog.products where sku = ?")) {
            s.setString(1, sku);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new ProductRef(r.getObject(1, UUID.class), sku, r.getString(2)) : null;
            }
        }
    }

    /** One price of a product (kind {@code price}). */
    @CommitcastCacheable("price")
    public Price price(UUID product, String currency) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(
                "select amount from catalog.prices where product_id = ? and currency = ?")) {
            s.setObject(1, product);
            s.setString(2, currency);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Price(product, currency, r.getBigDecimal(1)) : null;
            }
        }
    }

    /** A category's products (kind {@code category_products}). */
    @CommitcastCacheable("category_products")
    public Category categoryProducts(UUID category) throws SQLException {
        try (Connection c = database.getConnection()) {
            String name;
            try (PreparedStatement s = c.prepareStatement("select name from catalog.categories where id = ?")) {
                s.setObject(1, category);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    name = r.getString(1);
                }
            }
            List<ProductRef> products = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "select id, sku, name from catalog.products where category_id = ? order by sku")) {
                s.setObject(1, category);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        products.add(new ProductRef(r.getObject(1, UUID.class), r.getString(2), r.getString(3)));
                    }
                }
            }
            return new Category(category, name, List.copyOf(products));
        }
    }

    private static List<Price> prices(Connection c, UUID product) throws SQLException {
        List<Price> prices = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select currency, amount from catalog.prices where product_id = ? order by currency")) {
            s.setObject(1, product);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    prices.add(new Price(product, r.getString(1), r.getBigDecimal(2)));
                }
            }
        }
        return List.copyOf(prices);
    }

    private static List<String> images(Connection c, UUID product) throws SQLException {
        List<String> images = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select url from catalog.product_images where product_id = ? order by id")) {
            s.setObject(1, product);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    images.add(r.getString(1));
                }
            }
        }
        return List.copyOf(images);
    }
}
