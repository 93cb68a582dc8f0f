-- Holds not yet settled, a read model of the ledger (projection OpenHoldsProjection, group "balances"): what
-- the hold sweeper releases once a hold has expired. One row per open hold: it stays small whatever the
-- ledger's size. Replaces the per-call saga rows and db-scheduler deadline rows (docs/architecture.md).
create table open_holds (
    reservation_id varchar(64)              not null primary key,
    wallet_id      varchar(64)              not null,
    expires_at     timestamp(6) with time zone not null,
    -- When a sweeper last sent this hold's release: another node leaves it alone for a while.
    swept_at       timestamp(6) with time zone
);
create index open_holds_expires_at on open_holds (expires_at);

-- Durable deadlines are gone with the saga; its table with them.
drop table scheduled_tasks;
