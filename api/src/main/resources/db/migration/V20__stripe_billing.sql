-- Billing with Stripe (docs/billing.md). Written in the same transaction as the ledger commands they go with.

-- Every Stripe event applied, once: the primary key is the exactly-once guard. A redelivered event finds its
-- row and changes nothing; two deliveries racing each other queue on the key and the second sees the first.
create table stripe_events (
    event_id    varchar(255) not null primary key,
    type        varchar(100) not null,
    object_id   varchar(255),
    outcome     varchar(20)  not null,
    received_at timestamp(6) with time zone not null
);

-- One row per Pictura Checkout Session; its id is the ledger's payment id (CreditsPurchased.paymentId).
create table stripe_purchases (
    session_id        varchar(255) not null primary key,
    account_id        varchar(64)  not null,
    wallet_id         varchar(64)  not null,
    pack_id           varchar(64)  not null,
    credits           bigint       not null,            -- micro-credits bought
    amount_cents      bigint       not null,
    currency          varchar(3)   not null,
    status            varchar(10)  not null,            -- OPEN, PENDING (async payment), PAID, FAILED
    -- Refunds and disputes name the charge and payment intent: these find the purchase again.
    payment_intent_id varchar(255) constraint stripe_purchases_payment_intent_unique unique,
    charge_id         varchar(255) constraint stripe_purchases_charge_unique unique,
    reversed_cents    bigint       not null default 0,  -- refunded or lost in disputes so far
    reversed_credits  bigint       not null default 0,  -- micro-credits taken back so far
    created_at        timestamp(6) with time zone not null,
    paid_at           timestamp(6) with time zone,
    constraint stripe_purchases_reversal_bounds check (reversed_cents between 0 and amount_cents
                                                       and reversed_credits between 0 and credits)
);
create index stripe_purchases_account on stripe_purchases (account_id, created_at desc);

-- Every refund (re_...) and lost dispute (dp_...) taken back from a purchase: de-duplication by the business
-- object, whichever event (or how many) reported it. The id is the ledger's reversal id.
create table stripe_reversals (
    reversal_id  varchar(255) not null primary key,
    session_id   varchar(255) not null references stripe_purchases (session_id),
    kind         varchar(10)  not null,                 -- REFUND or DISPUTE
    amount_cents bigint       not null,
    credits      bigint       not null,                 -- micro-credits taken back by this one
    event_id     varchar(255) not null,
    created_at   timestamp(6) with time zone not null
);
create index stripe_reversals_session on stripe_reversals (session_id);

create table stripe_disputes (
    dispute_id   varchar(255) not null primary key,
    session_id   varchar(255) not null references stripe_purchases (session_id),
    amount_cents bigint       not null,
    status       varchar(30)  not null,
    opened_at    timestamp(6) with time zone not null,
    updated_at   timestamp(6) with time zone not null
);
