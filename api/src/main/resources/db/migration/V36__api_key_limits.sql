-- Per-key limits (ApiKeyLimitsSet), read with the key on every /v1 call. Spending limits in micro-credits; the
-- wallet enforces them with every hold, these columns only carry them to it. Null means no limit.
alter table api_keys
    add column daily_limit    bigint,
    add column monthly_limit  bigint,
    add column lifetime_limit bigint,
    -- Catalog ids joined by commas (ids have none), or null for every model.
    add column allowed_models varchar(4000),
    add column expires_at     timestamp(6) with time zone;
