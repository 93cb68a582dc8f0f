-- Read models of the ledger, built by pooled streaming processors and rebuilt from scratch on a reset.

create table wallet_balances (
    wallet_id     varchar(64) not null primary key,
    account_id    varchar(64) not null constraint wallet_balances_account_unique unique,
    promotional   bigint      not null default 0,   -- micro-credits
    paid          bigint      not null default 0,
    reserved      bigint      not null default 0,
    last_sequence bigint      not null,
    updated_at    timestamp(6) with time zone not null
);

create table ledger_lines (
    event_id          varchar(255) not null primary key,
    wallet_id         varchar(64)  not null,
    sequence_number   bigint       not null,
    occurred_at       timestamp(6) with time zone not null,
    kind              varchar(20)  not null,
    reference         varchar(255),
    amount            bigint       not null,
    promotional_delta bigint       not null,
    paid_delta        bigint       not null,
    reserved_delta    bigint       not null,
    promotional_after bigint       not null,
    paid_after        bigint       not null,
    reserved_after    bigint       not null,
    description       varchar(600),
    constraint ledger_lines_wallet_sequence unique (wallet_id, sequence_number)
);
