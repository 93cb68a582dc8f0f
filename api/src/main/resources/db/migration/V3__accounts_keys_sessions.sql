-- Consistent lookups, written in the same transaction as the events they follow (subscribing projections).

create table accounts (
    account_id    varchar(64)  not null primary key,
    -- Normalized (trimmed, lower-case). The unique constraint is the sign-up guard: two concurrent sign-ups
    -- with one email cannot both commit.
    email         varchar(254) not null constraint accounts_email_unique unique,
    status        varchar(16)  not null,
    roles         varchar(100) not null default '',
    registered_at timestamp(6) with time zone not null,
    updated_at    timestamp(6) with time zone not null
);

create table api_keys (
    key_id       varchar(64)  not null primary key,
    account_id   varchar(64)  not null,
    name         varchar(100) not null,
    prefix       varchar(16)  not null,
    -- SHA-256 of the secret, hex. The secret itself is stored nowhere.
    secret_hash  varchar(64)  not null constraint api_keys_secret_hash_unique unique,
    created_at   timestamp(6) with time zone not null,
    revoked_at   timestamp(6) with time zone,
    last_used_at timestamp(6) with time zone
);
create index api_keys_account on api_keys (account_id, created_at desc);

-- Credentials and sessions are access control, not ledger history: they are plain tables, never events.
create table account_credentials (
    account_id    varchar(64)  not null primary key,
    password_hash varchar(100) not null,
    updated_at    timestamp(6) with time zone not null
);

create table sessions (
    token_hash varchar(64) not null primary key,
    account_id varchar(64) not null,
    created_at timestamp(6) with time zone not null,
    expires_at timestamp(6) with time zone not null,
    ended_at   timestamp(6) with time zone
);
create index sessions_account on sessions (account_id);
