-- The catalog example's schema (examples/catalog): products keyed by uuid with a unique text SKU, a price per product
-- and currency (a composite key), product images (a child table whose changes bust the product), categories. No tenant
-- column, and not in the public schema. Its caching rules are examples/catalog/rules.yml.
create schema catalog;

create table catalog.categories (
    id   uuid primary key,
    name text not null
);

create table catalog.products (
    id          uuid primary key,
    sku         text not null unique,
    name        text not null,
    category_id uuid references catalog.categories (id),
    updated_at  timestamptz not null default now()
);

create table catalog.prices (
    product_id uuid           not null references catalog.products (id) on delete cascade,
    currency   text           not null check (currency ~ '^[A-Z]{3}$'),
    amount     numeric(12, 2) not null,
    primary key (product_id, currency)
);

create table catalog.product_images (
    id         bigint generated always as identity primary key,
    product_id uuid not null references catalog.products (id) on delete cascade,
    url        text not null
);

create index on catalog.products (category_id);
create index on catalog.product_images (product_id);

-- The rules read non-key columns of before images (a product's category and SKU, an image's product): full images.
alter table catalog.categories replica identity full;
alter table catalog.products replica identity full;
alter table catalog.prices replica identity full;
alter table catalog.product_images replica identity full;

-- Exactly the tables the rules name (./commitcast rules check --db verifies it).
create publication commitcast_pub for table catalog.categories, catalog.products, catalog.prices,
    catalog.product_images;
