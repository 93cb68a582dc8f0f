-- The built-in Stripe simulator's objects (checkout sessions, charges, refunds, disputes), kept in the database
-- so that reconciliation still finds them after a restart. Unused when a real Stripe key is configured.
create table stripe_simulator_objects (
    seq            bigserial    not null primary key,
    id             varchar(255) not null constraint stripe_simulator_objects_id_unique unique,
    object_type    varchar(40)  not null,
    created        bigint       not null,   -- Unix seconds, as Stripe's "created"
    payment_intent varchar(255),
    charge         varchar(255),
    body           text         not null    -- the object's JSON, as the API answers it
);
create index stripe_simulator_objects_type on stripe_simulator_objects (object_type, created);
create index stripe_simulator_objects_payment on stripe_simulator_objects (payment_intent);
create index stripe_simulator_objects_charge on stripe_simulator_objects (charge);
