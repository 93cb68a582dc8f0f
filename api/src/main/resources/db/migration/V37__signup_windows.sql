-- Sign-ups per client address and fixed window (SignUpLimit): counted in PostgreSQL so the limit holds on every
-- node. The address is kept only as its SHA-256; rows older than a day are deleted by Housekeeping.
create table signup_windows (
    address_hash varchar(64)                 not null,
    window_start timestamp(6) with time zone not null,
    signups      integer                     not null,
    primary key (address_hash, window_start)
);
