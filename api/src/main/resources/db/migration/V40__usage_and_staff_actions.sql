-- Read models (replayable, idempotent): one row per /v1 call's hold, and one per event a staff member caused.
create table usage_calls (
    reservation_id varchar(64)                 not null primary key,
    wallet_id      varchar(64)                 not null,
    request_id     varchar(64),
    key_id         varchar(64),
    model          varchar(100),
    started_at     timestamp(6) with time zone not null,
    held           bigint                      not null,
    outcome        varchar(16)                 not null,
    cost           bigint,
    input_tokens   bigint,
    output_tokens  bigint,
    images         integer,
    latency_ms     bigint,
    upstream       varchar(100),
    settled_at     timestamp(6) with time zone
);
create index usage_calls_wallet on usage_calls (wallet_id, started_at desc, reservation_id desc);
create index usage_calls_request on usage_calls (request_id);

create table staff_actions (
    event_id   varchar(255)                not null primary key,
    at         timestamp(6) with time zone not null,
    staff      varchar(100)                not null,
    action     varchar(100)                not null,
    aggregate  varchar(255),
    reason     varchar(500)
);
create index staff_actions_at on staff_actions (at desc);
