-- Once-per-cluster scheduling (OncePerCluster): a job's run is done by the node that records its slot first.
-- Rows older than a day are deleted by Housekeeping.
create table job_runs (
    job        varchar(100)                not null,
    slot       timestamp(6) with time zone not null,
    node       varchar(200)                not null,
    claimed_at timestamp(6) with time zone not null,
    primary key (job, slot)
);
