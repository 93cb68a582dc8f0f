-- Failed sign-ins per email and 15-minute window: password guessing is throttled on every node alike.
create table sign_in_failures (
    email        varchar(254) not null,
    window_start timestamp(6) with time zone not null,
    failures     integer      not null,
    primary key (email, window_start)
);
