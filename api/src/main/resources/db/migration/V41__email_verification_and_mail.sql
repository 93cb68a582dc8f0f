-- What the account lookup shows of two account facts kept as events: the verified email (EmailVerified) and
-- the accepted Terms of Service (TermsAccepted). Accounts older than this migration have neither: their owners
-- verify through a fresh link (POST /api/me/verification-mail) before they can issue a new key.
alter table accounts add column email_verified    boolean      not null default false;
alter table accounts add column terms_version     varchar(64);
alter table accounts add column terms_accepted_at timestamp(6) with time zone;

-- Single-use email verification links. Only the SHA-256 of the token is kept: the token itself is in the mail.
create table email_verifications (
    token_hash varchar(64)  not null primary key,
    account_id varchar(64)  not null,
    email      varchar(254) not null,
    created_at timestamp(6) with time zone not null,
    expires_at timestamp(6) with time zone not null,
    used_at    timestamp(6) with time zone
);
create index email_verifications_account on email_verifications (account_id, created_at desc);

-- Mail to people, written in the transaction of what it tells of (no mail for a rolled-back sign-up, and no
-- sign-up lost to a mail server that is down), sent after the commit. Without SMTP (the embedded default) this
-- table is the mailbox itself (GET /api/outbox); with SMTP the text and link are cleared once the mail is sent.
create table mail_outbox (
    mail_id         varchar(64)  not null primary key,
    account_id      varchar(64)  not null,
    recipient       varchar(254) not null,
    subject         varchar(200) not null,
    body            text,
    link            varchar(2000),
    created_at      timestamp(6) with time zone not null,
    sent_at         timestamp(6) with time zone,
    attempts        integer      not null default 0,
    next_attempt_at timestamp(6) with time zone not null,
    last_error      varchar(500)
);
create index mail_outbox_account on mail_outbox (account_id, created_at desc);
create index mail_outbox_pending on mail_outbox (next_attempt_at) where sent_at is null;
