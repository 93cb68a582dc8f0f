-- Results kept for Idempotency-Key replays are encrypted from now on (docs/privacy.md). Those written before in
-- clear lose their body at once: a retry of one of them is answered 409 idempotency_replay_unavailable (an
-- unreadable body), never run and charged a second time; the rows go when they expire.
update idempotency_records set body = '\x00'::bytea where body is not null;
