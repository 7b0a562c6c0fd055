package dev.commitcast.examples.catalog;

import dev.commitcast.examples.catalog.Views.Category;
import dev.commitcast.examples.catalog.Views.Price;
import dev.commitcast.examples.catalog.Views.Product;
import dev.commitcast.examples.catalog.Views.ProductRef;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.sql.SQLException;
import java.util.UUID;

/**
 * The catalog's read endpoints, JSON, 404 when the row does not exist. Blocking (JDBC behind the cache), so on the
 * blocking executor.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
class CatalogController {

    private final CatalogReads reads;

    CatalogController(CatalogReads reads) {
        this.reads = reads;
    }

    @Get("/products/{id}")
    HttpResponse<Product> product(UUID id) throws SQLException {
        return found(reads.product(id));
    }

    @Get("/skus/{sku}")
    HttpResponse<ProductRef> sku(String sku) throws SQLException {
        return found(reads.productBySku(sku));
    }

    @Get("/products/{id}/prices/{currency}")
    HttpResponse<Price> price(UUID id, String currency) throws SQLException {
        return found(reads.price(id, currency));
    }

    @Get("/categories/{id}/products")
    HttpResponse<Category> category(UUID id) throws SQLException {
        return found(reads.categoryProducts(id));
    }

    private static <T> HttpResponse<T> found(T body) {
        return body == null ? HttpResponse.notFound() : HttpResponse.ok(body);
    }
}
