-- The gateway's own tables: shared by every node, so idempotency, rate limits and image links hold cluster-wide.

-- A retried POST /v1/* with the same Idempotency-Key returns the first result. Unique per API key.
create table idempotency_records (
    key_id          varchar(64)  not null,
    idempotency_key varchar(255) not null,
    request_hash    varchar(64)  not null,   -- SHA-256 of method, path and body: a different body is refused
    state           varchar(16)  not null,   -- in_progress | done
    status          integer,
    content_type    varchar(100),
    body            bytea,                   -- non-streaming answers only; kept 24 hours, then deleted
    created_at      timestamp(6) with time zone not null,
    expires_at      timestamp(6) with time zone not null,
    primary key (key_id, idempotency_key)
);
create index idempotency_records_expiry on idempotency_records (expires_at);

-- Fixed one-minute windows per key; one row per key and minute, updated with a single upsert per request.
create table rate_limit_windows (
    key_id       varchar(64) not null,
    window_start timestamp(6) with time zone not null,
    requests     integer     not null,
    tokens       bigint      not null,
    primary key (key_id, window_start)
);

-- Per-account limits set by support; accounts without a row get the defaults of gateway.yml.
create table account_rate_limits (
    account_id          varchar(64) not null primary key,
    requests_per_minute integer,
    tokens_per_minute   bigint,
    updated_at          timestamp(6) with time zone not null default now()
);

-- Images asked for as a URL: served for a short while (pictura.gateway.image-url-ttl), then deleted.
create table image_results (
    image_id   varchar(64) not null primary key,
    png        bytea       not null,
    expires_at timestamp(6) with time zone not null
);
create index image_results_expiry on image_results (expires_at);
