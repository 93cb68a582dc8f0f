-- Tamper evidence (ledgerchain): one hash-chain link per stored domain event, written in the event's own
-- transaction. link = SHA-256 over the previous link of the aggregate and the event as stored (ChainLink).
create table event_chain (
    aggregate_identifier varchar(255) not null,
    sequence_number      bigint       not null,
    event_identifier     varchar(255) not null,
    link                 varchar(64)  not null,
    primary key (aggregate_identifier, sequence_number)
);
